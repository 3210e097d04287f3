"""Model loading and the scalar-head model on the tiny model."""
import torch

from common.data import pad_sequences
from common.modeling import ScalarHeadModel, apply_lora, count_parameters, load_causal_lm
from common.config import PeftArguments


def test_scalar_head_scores_the_last_real_token_whatever_the_padding(tokenizer):
    torch.manual_seed(0)
    model = ScalarHeadModel.from_backbone("embedded:tiny-qwen2").eval()
    seqs = [tokenizer("a stack is LIFO<|im_end|>")["input_ids"], tokenizer("pop<|im_end|>")["input_ids"]]
    alone = [model.score(torch.tensor([s]), torch.ones(1, len(s), dtype=torch.long)).item() for s in seqs]
    for side in ("right", "left"):
        ids = pad_sequences(seqs, tokenizer.pad_token_id, side)
        mask = pad_sequences([[1] * len(s) for s in seqs], 0, side)
        # Same scores as each sequence alone: the score reads the last real token (PAD != EOS), and positions come
        # from the mask so left padding does not shift them.
        assert torch.allclose(model.score(ids, mask), torch.tensor(alone), atol=1e-5), side


def test_lora_trains_only_adapters_and_rank_zero_is_full_finetuning():
    model = load_causal_lm("embedded:tiny-qwen2")
    _, total = count_parameters(model)
    lora = apply_lora(model, PeftArguments(lora_rank=4, lora_target_modules="q_proj,v_proj"))
    trainable, _ = count_parameters(lora)
    names = [n for n, p in lora.named_parameters() if p.requires_grad]
    assert names and all("lora_" in n and ("q_proj" in n or "v_proj" in n) for n in names)
    assert 0 < trainable < total / 10
    full = apply_lora(load_causal_lm("embedded:tiny-qwen2"), PeftArguments(lora_rank=0))
    assert count_parameters(full) == (total, total)
