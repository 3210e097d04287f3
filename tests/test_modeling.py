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


def test_a_stacked_adapter_export_reloads_as_sft_plus_its_own_adapter(tmp_path, tokenizer):
    """PPO and DPO merge the SFT adapter and train a new one on top; their final/ must load back as that model."""
    from peft import LoraConfig, get_peft_model

    from common.checkpoint import export_final
    from common.trainer import base_name_for_export

    torch.manual_seed(0)
    lora = dict(target_modules=["q_proj", "v_proj"], r=4, lora_alpha=8, init_lora_weights=False)
    sft = get_peft_model(load_causal_lm("embedded:tiny-qwen2"), LoraConfig(**lora))
    sft.peft_config["default"].base_model_name_or_path = "embedded:tiny-qwen2"
    sft.save_pretrained(tmp_path / "sft")
    policy = get_peft_model(load_causal_lm(str(tmp_path / "sft"), adapter="merge"), LoraConfig(**lora))
    export_final(policy, tokenizer, str(tmp_path / "dpo"),
                 base_model_name_or_path=base_name_for_export(str(tmp_path / "sft"), continues_adapter=False))
    ids = torch.tensor([tokenizer("a queue is FIFO")["input_ids"]])
    with torch.no_grad():
        expected = policy(input_ids=ids).logits
        sft_logits = sft(input_ids=ids).logits
        reloaded = load_causal_lm(str(tmp_path / "dpo" / "final"), adapter="frozen")(input_ids=ids).logits
        merged = load_causal_lm(str(tmp_path / "dpo" / "final"), adapter="merge")(input_ids=ids).logits
    assert not torch.allclose(expected, sft_logits, atol=1e-3)  # the top adapter changes the model
    assert torch.allclose(reloaded, expected, atol=1e-5) and torch.allclose(merged, expected, atol=1e-4)
