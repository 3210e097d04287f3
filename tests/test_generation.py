"""Generation: gathered ZeRO-3 decoding = decoding through the hooks = an unsharded copy; ranks never wait on each
other; training after generation is untouched. Plus, on one rank: the unsharded path, EOS cutting, sampling
exactly as asked (nothing from a checkpoint's generation config) and stopping at every end-of-turn token.

The two-rank part runs tests/generation_check.py once under the deepspeed launcher (see its docstring) and
asserts on what each rank recorded.
"""
import json
import os
import signal
import subprocess
import sys
import types
from pathlib import Path

import pytest
import torch

from conftest import ROOT, _free_port

N_NEW = 12


def cut(row: list, eos: int) -> list:
    """The expected response: everything up to and including the first EOS."""
    out = []
    for t in row:
        out.append(t)
        if t == eos:
            break
    return out


@pytest.fixture(scope="module")
def ranks(tmp_path_factory):
    """Each rank's observations from one two-rank ZeRO-3 run; a hang fails here (timeout) instead of stalling."""
    out = tmp_path_factory.mktemp("generation")
    cmd = [str(Path(sys.executable).parent / "deepspeed"), "--num_gpus", "2", "--master_port", str(_free_port()),
           str(ROOT / "tests" / "generation_check.py"), "--out", str(out)]
    env = dict(os.environ, PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the launcher and both ranks: they share this new session
        stdout, stderr = proc.communicate()
        raise AssertionError(f"two-rank generation check timed out (a hang?):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    if proc.returncode != 0:
        raise AssertionError(f"generation_check failed ({proc.returncode}):\n{stdout[-3000:]}\n{stderr[-6000:]}")
    recs = [json.loads((out / f"rank{r}.json").read_text()) for r in range(2)]
    assert [r["rank"] for r in recs] == [0, 1] and all(r["world_size"] == 2 for r in recs)
    return recs


@pytest.mark.slow
def test_gathered_generation_gives_the_tokens_of_naive_zero3_and_of_an_unsharded_copy(ranks, tokenizer):
    eos = tokenizer.eos_token_id
    for r in ranks:
        assert r["zero3"] == [True, True]
        expected = [cut(row, eos) for row in r["unsharded"]]
        assert len(expected) == (3 if r["rank"] == 0 else 2)
        assert r["gathered"] == expected, r["rank"]
        assert r["naive"] == expected, r["rank"]
        assert len({t for row in expected for t in row}) > 10  # varied text, not one repeated token
    # The trained adapter changes the output (so the LoRA path is really exercised): the base model differs.
    assert any(r["gathered"] != r["ref_gathered"] for r in ranks)


@pytest.mark.slow
def test_merging_lora_while_gathered_gives_the_same_tokens_and_unmerges(ranks):
    for r in ranks:
        assert r["merged"] == r["gathered"]
        assert r["lora_unmerged"] and r["weights_kept"]


@pytest.mark.slow
def test_frozen_inference_engine(ranks, tokenizer):
    for r in ranks:
        assert r["ref_zero3"]  # the offload object is engine.optimizer itself
        expected = [cut(row, tokenizer.eos_token_id) for row in r["ref_unsharded"]]
        assert r["ref_gathered"] == expected and r["ref_naive"] == expected
        assert r["ref_layout_kept"] and r["ref_logits_match"]


@pytest.mark.slow
def test_ranks_that_stop_at_different_lengths_stay_in_step(ranks):
    # Rank 0's EOS is its first token, rank 1's the ninth: one forward pass against nine.
    assert [len(r["eos_expected"][0]) for r in ranks] == [1, 9]
    for r in ranks:
        for key in ("eos_gathered", "eos_merged", "eos_naive"):
            assert r[key] == r["eos_expected"], (r["rank"], key)
        assert r["ref_eos_gathered"] == r["ref_eos_expected"] == r["ref_eos_gathered_again"]
        assert r["after_eos_all_reduce"] == 2.0 and r["done"] == 2.0
        # Gathered decoding issues no collective: the count does not grow with the tokens decoded...
        a, b = r["collectives_1_vs_12"]
        assert a == b > 0
        # ...while through the hooks the ranks agree at every token whether all are done: at least one collective a
        # decoded token (the layers' own gathers come on top, as many as DeepSpeed's fetch state needs: the tiny
        # model's small weights stay resident after the first forward).
        a, b = r["naive_collectives_1_vs_12"]
        assert a >= 1 and b >= N_NEW
    # Ranks stay in step when they issue the same collectives, however many tokens each decoded.
    for key in ("eos_gathered_collectives", "eos_merged_collectives", "eos_naive_collectives", "ref_eos_collectives"):
        assert ranks[0][key] == ranks[1][key], key


@pytest.mark.slow
def test_training_after_gathered_generation_matches_a_twin_that_did_not_generate(ranks):
    for r in ranks:
        before_a, before_b = r["losses_before"]
        assert before_a == before_b  # twins really are twins
        after_a, after_b = r["losses_after"]
        assert after_a == after_b, r["rank"]  # exactly: same hooks, same weights, same dropout masks
        assert r["twins_equal"] and r["lora_changed"] and r["n_lora"] > 0
        assert r["layout_kept"] and r["layout_kept_after_all"] and r["n_ds_hooks"] > 0
        assert r["checkpointing_kept"] and r["training_kept"]
        assert r["bare_module_rejected"]


# --- one rank, no DeepSpeed engine -------------------------------------------------------------------------------

def test_cut_responses_keeps_the_first_eos_and_every_token_of_rows_without_one():
    from common.generation import cut_responses

    EOS, PAD = 2, 0
    rows = [[5, 7, EOS, PAD, PAD], [5, EOS, 9, EOS, PAD], [5, 6, 7, 8, 9], [EOS, PAD, PAD, PAD, PAD],
            [5, 6, PAD, PAD, 3]]
    assert cut_responses(rows, EOS) == [[5, 7, EOS], [5, EOS], [5, 6, 7, 8, 9], [EOS], [5, 6, PAD, PAD, 3]]


@pytest.fixture(scope="module")
def plain_model():
    sys.path.insert(0, str(ROOT / "tests"))
    from generation_check import load_varied

    from common.modeling import enable_gradient_checkpointing

    torch.manual_seed(0)
    model = load_varied()
    enable_gradient_checkpointing(model)
    return model


def reference_greedy(model, prompts: list, n: int, eos: int) -> list:
    """Greedy decoding the slow, obvious way: one row at a time, no padding, no KV cache."""
    out = []
    with torch.no_grad():
        for prompt in prompts:
            seq, resp = list(prompt), []
            for _ in range(n):
                t = int(model(input_ids=torch.tensor([seq])).logits[0, -1].argmax())
                seq.append(t)
                resp.append(t)
                if t == eos:
                    break
            out.append(resp)
    return out


def left_padded(prompts: list, pad: int) -> tuple:
    T = max(len(p) for p in prompts)
    ids = torch.tensor([[pad] * (T - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (T - len(p)) + [1] * len(p) for p in prompts])
    return ids, mask


def test_unsharded_generation_matches_a_reference_loop_and_restores_the_model(plain_model, tokenizer):
    from common.generation import generate

    model = plain_model.train()
    prompts = [tokenizer(t)["input_ids"] for t in ("Topic: stacks. Pop returns the wrong element.", "Heaps?",
                                                     "Topic: graphs. BFS visits a node twice, why?")]
    free = reference_greedy(model.eval(), prompts, 10, eos=-1)
    eos = next(t for k, t in enumerate(free[0]) if k >= 3 and t not in free[0][:k])  # row 0 stops at step >= 3
    expected = reference_greedy(model, prompts, 10, eos)
    assert expected[0][-1] == eos and 4 <= len(expected[0]) < 10
    model.train()
    checkpointed = [vars(m).get("gradient_checkpointing") for m in model.modules()]
    assert any(checkpointed)

    seen = []
    hook = model.register_forward_pre_hook(lambda m, *a: seen.append(
        (m.training, any(vars(x).get("gradient_checkpointing") for x in m.modules()))))
    tok = types.SimpleNamespace(eos_token_id=eos, pad_token_id=tokenizer.pad_token_id)
    ids, mask = left_padded(prompts, tokenizer.pad_token_id)
    try:
        for mode in ("gathered", "naive"):
            assert generate(model, tok, ids, mask, 10, mode=mode) == expected, mode
    finally:
        hook.remove()
    assert seen and all(s == (False, False) for s in seen)  # eval, no checkpointing while decoding
    assert model.training and all(m.training for m in model.modules())  # ...and both back afterwards
    assert [vars(m).get("gradient_checkpointing") for m in model.modules()] == checkpointed


def test_sampling_with_a_tiny_top_p_is_greedy(plain_model, tokenizer):
    from common.generation import generate

    ids, mask = left_padded([tokenizer(t)["input_ids"] for t in ("Queues: enqueue fails.", "Hashing")],
                            tokenizer.pad_token_id)
    greedy = generate(plain_model, tokenizer, ids, mask, 8)
    torch.manual_seed(3)
    sampled = generate(plain_model, tokenizer, ids, mask, 8, do_sample=True, temperature=0.7, top_p=1e-6)
    assert sampled == greedy and all(len(r) == 8 or r[-1] == tokenizer.eos_token_id for r in sampled)


def test_unknown_mode_is_rejected(plain_model, tokenizer):
    from common.generation import generate

    with pytest.raises(ValueError, match="generation mode"):
        generate(plain_model, tokenizer, torch.tensor([[5, 6]]), torch.tensor([[1, 1]]), 2, mode="fast")


# --- decoding exactly what is asked; stopping at every end of turn --------------------------------------------------

def test_sampling_draws_from_the_whole_vocabulary(tokenizer):
    """A flat next-token distribution (the head's logits replaced by one fixed vector within 1e-3 of zero, so that
    the largest 50 are the same 50 at every step): 64 rows x 64 sampled tokens cover as many distinct tokens as
    uniform draws over the vocabulary do, not the at most 50 of transformers' default top_k. (Exactly tied logits
    would not do: top_k keeps every token tied with the 50th.)"""
    from common.generation import generate
    from common.modeling import load_causal_lm

    model = load_causal_lm("embedded:tiny-qwen2").eval()
    V = model.config.vocab_size
    flat = torch.rand(V, generator=torch.Generator().manual_seed(0)) * 1e-3  # (V,)
    model.lm_head.register_forward_hook(lambda module, inputs, logits: flat.expand_as(logits))
    ids, mask = left_padded([tokenizer("Topic: stacks.")["input_ids"]] * 64, tokenizer.pad_token_id)

    def distinct(**sampling) -> tuple:
        torch.manual_seed(0)
        responses = generate(model, tokenizer, ids, mask, 64, do_sample=True, temperature=1.0, top_p=1.0,
                             **sampling)
        return sum(len(r) for r in responses), len({t for r in responses for t in r})

    n, seen = distinct()  # n: every draw, the stop tokens that end a row included
    expected = V * (1 - (1 - 1 / V) ** n)  # distinct values among n uniform draws from V
    assert n > 3000 and abs(seen - expected) < 0.03 * expected, (n, seen, expected)
    assert distinct(top_k=50)[1] <= 50  # a top_k asked for is applied


def test_the_checkpoint_generation_config_changes_no_token(tokenizer):
    """Same seed, same weights: a checkpoint's generation config (top_k, repetition penalty, temperature, and
    processors that are off only when unset) changes nothing, sampled or greedy; HF generate called as before
    (sampling arguments only) does pick it up."""
    sys.path.insert(0, str(ROOT / "tests"))
    from generation_check import load_varied
    from transformers import GenerationConfig

    from common.generation import generate

    model = load_varied().eval()
    ids, mask = left_padded([tokenizer(t)["input_ids"] for t in ("Queues: enqueue fails.", "Hashing", "Heaps?")],
                            tokenizer.pad_token_id)

    def ours() -> tuple:
        torch.manual_seed(0)
        sampled = generate(model, tokenizer, ids, mask, 12, do_sample=True, temperature=0.7, top_p=0.95)
        return sampled, generate(model, tokenizer, ids, mask, 12)

    def hf() -> list:
        torch.manual_seed(0)
        return model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=12, do_sample=True,
                              temperature=0.7, top_p=0.95, eos_token_id=tokenizer.eos_token_id,
                              pad_token_id=tokenizer.pad_token_id).tolist()

    sampled, greedy = ours()
    hf_before = hf()
    assert sampled != greedy and len({t for r in sampled for t in r}) > 10
    checkpoint = GenerationConfig(**model.generation_config.to_dict() | dict(
        do_sample=True, temperature=0.3, top_k=20, repetition_penalty=1.3, no_repeat_ngram_size=2,
        suppress_tokens=[sampled[0][0], greedy[0][0]]))
    model.generation_config = checkpoint
    assert ours() == (sampled, greedy)
    assert model.generation_config is checkpoint  # restored after decoding
    assert hf() != hf_before


def test_stop_token_ids_are_eos_then_the_end_of_turn_tokens_in_the_vocabulary(tokenizer):
    from common.generation import stop_token_ids

    endoftext = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    assert stop_token_ids(tokenizer) == [tokenizer.eos_token_id, endoftext] and endoftext == tokenizer.pad_token_id
    # <|im_end|> is EOS (once), <|endoftext|> is unknown; a stand-in without a vocabulary has its EOS only.
    stub = types.SimpleNamespace(eos_token_id=5, unk_token_id=3, convert_tokens_to_ids={"<|im_end|>": 5}.get)
    assert stop_token_ids(stub) == [5]
    stub = types.SimpleNamespace(eos_token_id=5, unk_token_id=3, convert_tokens_to_ids=lambda t: 3)
    assert stop_token_ids(stub) == [5]
    assert stop_token_ids(types.SimpleNamespace(eos_token_id=7, pad_token_id=0)) == [7]


def test_cut_responses_and_ended_take_every_stop_token():
    from common.generation import cut_responses, ended

    EOS, EOT = 2, 0  # <|im_end|>, and <|endoftext|> which is also PAD
    rows = [[5, EOT, 7, EOS], [5, 6, EOS, EOT, EOT], [5, 6, 7], [EOT, EOT, EOT], [EOS, 9]]
    cut = cut_responses(rows, [EOS, EOT])
    assert cut == [[5, EOT], [5, 6, EOS], [5, 6, 7], [EOT], [EOS]]
    assert [ended(r, [EOS, EOT]) for r in cut] == [True, True, False, True, True]
    assert not ended([], [EOS, EOT]) and ended([5, EOS], EOS) and not ended([5, EOT], EOS)


def test_generation_stops_at_endoftext_as_at_eos(tokenizer):
    """Row 0's 4th token is forced to <|endoftext|>, row 1's 6th to <|im_end|> (and no stop token before): each
    response ends there, ended, and decoding stops after the 6th token, not at the limit of 10."""
    from common.generation import ended, generate, stop_token_ids
    from common.modeling import load_causal_lm

    eos, endoftext = tokenizer.eos_token_id, tokenizer.convert_tokens_to_ids("<|endoftext|>")
    model = load_causal_lm("embedded:tiny-qwen2").eval()
    steps = []

    def force(module, inputs, logits):  # (B, T, V), one call per decoded token
        logits = logits.clone()
        logits[:, -1, [eos, endoftext]] = -1e4
        if len(steps) == 3:
            logits[0, -1, endoftext] = 1e4
        if len(steps) == 5:
            logits[1, -1, eos] = 1e4
        steps.append(1)
        return logits

    model.lm_head.register_forward_hook(force)
    ids, mask = left_padded([tokenizer(t)["input_ids"] for t in ("Stacks?", "Topic: graphs. BFS.")],
                            tokenizer.pad_token_id)
    responses = generate(model, tokenizer, ids, mask, 10)
    assert [len(r) for r in responses] == [4, 6] and [r[-1] for r in responses] == [endoftext, eos]
    assert all(ended(r, stop_token_ids(tokenizer)) for r in responses) and len(steps) == 6


def test_lora_on_a_tied_lm_head_is_never_merged_for_decoding():
    """Merging an adapted lm_head tied to the input embeddings would change the embeddings too: the sampler would
    not be the model that PPO scores. Such an adapter decodes unmerged; an untied one merges."""
    from peft import LoraConfig, get_peft_model
    from peft.tuners.tuners_utils import BaseTunerLayer

    from common.modeling import load_causal_lm
    from common.zero3 import _lora_merged

    for targets, merged in ((["q_proj", "lm_head"], False), (["q_proj", "v_proj"], True)):
        model = get_peft_model(load_causal_lm("embedded:tiny-qwen2"), LoraConfig(target_modules=targets, r=8))
        assert model.config.tie_word_embeddings
        for copy in (False, True):
            with _lora_merged(model, copy=copy):
                assert all(m.merged == merged for m in model.modules() if isinstance(m, BaseTunerLayer))
            assert not any(m.merged for m in model.modules() if isinstance(m, BaseTunerLayer))


# --- the sampler's own log-probs ----------------------------------------------------------------------------------

def test_sampler_logprobs_equal_a_forward_over_the_rollout(tokenizer):
    """``return_logprobs``: each sampled token's log-prob under softmax(logits / T), read off the decoding loop's
    logits, equals what a full forward of the rows computes (``forward.response_logprobs``, PPO's path), within
    float32 rounding; left padding, a nucleus cut-off and a LoRA adapter included, decoded through the adapter or
    with it merged into a copy of the weights (PPO's way outside ZeRO-3), after which every weight is bit for bit
    what it was and no layer is left merged."""
    from peft import LoraConfig, get_peft_model

    from common.forward import response_logprobs
    from common.generation import concat_prompt_response, generate
    from generation_check import load_varied

    torch.manual_seed(0)
    model = get_peft_model(load_varied(), LoraConfig(target_modules=["q_proj", "v_proj", "up_proj"], r=4,
                                                     lora_alpha=32, init_lora_weights=False)).eval()
    ids, mask = left_padded([tokenizer(t)["input_ids"] for t in ("Queues: enqueue fails.", "Hashing", "Heaps?")],
                            tokenizer.pad_token_id)
    from peft.tuners.tuners_utils import BaseTunerLayer

    before = {k: v.clone() for k, v in model.state_dict().items()}
    branch_calls = []  # forwards through an adapter's A matrix: none while merged
    for name, m in model.named_modules():
        if name.endswith("lora_A.default"):
            m.register_forward_hook(lambda *_: branch_calls.append(1))
    for top_p, merge_lora in ((1.0, False), (0.9, False), (0.9, True)):
        torch.manual_seed(1)
        branch_calls.clear()
        responses, logprobs = generate(model, tokenizer, ids, mask, 12, do_sample=True, temperature=0.7,
                                       top_p=top_p, merge_lora=merge_lora, return_logprobs=True)
        assert bool(branch_calls) != merge_lora
        assert all(torch.equal(v, before[k]) for k, v in model.state_dict().items())
        assert not any(m.merged for m in model.modules() if isinstance(m, BaseTunerLayer))
        assert [len(r) for r in responses] == [len(lp) for lp in logprobs] and sum(map(len, responses)) > 12
        rows, row_mask, response_mask = concat_prompt_response(ids, mask, responses, tokenizer.pad_token_id)
        with torch.no_grad():
            expected = response_logprobs(model, rows, row_mask, ids.shape[1], 0.7)  # (B, N)
        got = torch.tensor([lp + [0.0] * (rows.shape[1] - ids.shape[1] - len(lp)) for lp in logprobs])
        torch.testing.assert_close(got, expected * response_mask, atol=2e-5, rtol=0)


def test_sampler_values_of_a_shared_critic_equal_a_forward_over_the_rollout(tokenizer):
    """``value_head`` (PPO's ``--critic shared``): each token's value, read off the decoding step's last hidden
    state, equals the value the training forward computes (``response_logprobs(..., value_head=)``), within float32
    rounding: left padding and a LoRA adapter, decoded through the adapter and merged into a copy; the tokens and
    log-probs are those of a decode without the head (same seed)."""
    from peft import LoraConfig, get_peft_model

    from common.forward import response_logprobs
    from common.generation import concat_prompt_response, generate
    from common.modeling import add_value_head
    from generation_check import load_varied

    torch.manual_seed(0)
    model = add_value_head(get_peft_model(load_varied(), LoraConfig(target_modules=["q_proj", "v_proj"], r=4,
                                                                    lora_alpha=32, init_lora_weights=False))).eval()
    torch.nn.init.normal_(model.value_head.weight, std=model.config.hidden_size ** -0.5)  # values of order 1, not 0
    ids, mask = left_padded([tokenizer(t)["input_ids"] for t in ("Stacks: pop on empty.", "Tries", "Graphs?")],
                            tokenizer.pad_token_id)
    for merge_lora in (False, True):
        torch.manual_seed(1)
        plain = generate(model, tokenizer, ids, mask, 12, do_sample=True, temperature=0.7, merge_lora=merge_lora,
                         return_logprobs=True)
        torch.manual_seed(1)
        responses, logprobs, values = generate(model, tokenizer, ids, mask, 12, do_sample=True, temperature=0.7,
                                               merge_lora=merge_lora, return_logprobs=True,
                                               value_head=model.value_head)
        assert (responses, logprobs) == plain
        assert [len(r) for r in responses] == [len(v) for v in values] and sum(map(len, responses)) > 12
        rows, row_mask, response_mask = concat_prompt_response(ids, mask, responses, tokenizer.pad_token_id)
        with torch.no_grad():
            _, expected = response_logprobs(model, rows, row_mask, ids.shape[1], 0.7, value_head=model.value_head)
        got = torch.tensor([v + [0.0] * (rows.shape[1] - ids.shape[1] - len(v)) for v in values])
        torch.testing.assert_close(got, expected * response_mask, atol=2e-5, rtol=0)
        assert got.abs().max() > 0.1


def test_samples_of_one_prompt_share_its_prefill_and_still_decode_their_own_rows(tokenizer):
    """Rows equal to the row before them (PPO's K samples of a prompt) run one prefill: the first forward sees the
    distinct rows only; every sampled token's log-prob still equals a forward over that row's own prompt and
    response (the copied KV cache is that row's), the samples of one prompt are drawn independently, and greedy
    answers are those of decoding each prompt alone."""
    from common.forward import response_logprobs
    from common.generation import concat_prompt_response, generate
    from generation_check import load_varied

    model = load_varied().eval()
    texts = ("Linked lists: a cycle?", "Linked lists: a cycle?", "Linked lists: a cycle?", "BFS", "BFS")
    ids, mask = left_padded([tokenizer(t)["input_ids"] for t in texts], tokenizer.pad_token_id)
    first_batch = []
    hook = model.register_forward_pre_hook(lambda m, a, kw: first_batch.append(kw["input_ids"].shape),
                                           with_kwargs=True)
    torch.manual_seed(4)
    responses, logprobs = generate(model, tokenizer, ids, mask, 10, do_sample=True, temperature=1.0,
                                   return_logprobs=True)
    hook.remove()
    assert first_batch[0] == (2, ids.shape[1]) and first_batch[1] == (5, 1)  # one prefill a prompt, then every row
    assert len({tuple(r) for r in responses[:3]}) > 1  # independent draws, not one sample copied
    rows, row_mask, response_mask = concat_prompt_response(ids, mask, responses, tokenizer.pad_token_id)
    with torch.no_grad():
        expected = response_logprobs(model, rows, row_mask, ids.shape[1])
    got = torch.tensor([lp + [0.0] * (rows.shape[1] - ids.shape[1] - len(lp)) for lp in logprobs])
    torch.testing.assert_close(got, expected * response_mask, atol=2e-5, rtol=0)
    alone = [generate(model, tokenizer, *left_padded([tokenizer(t)["input_ids"]], tokenizer.pad_token_id), 10)[0]
             for t in texts]
    assert generate(model, tokenizer, ids, mask, 10) == alone


def test_few_row_linears_compute_the_same_products_and_restore_every_layer():
    """``few_row_linears``: inside, a linear layer's output on up to ``FEW_ROWS`` rows equals ``F.linear``'s within
    float32 rounding (bias, 3-d inputs, a LoRA-wrapped layer), more rows take ``F.linear`` itself (bit for bit),
    and on exit every layer has its own ``forward`` back."""
    from peft import LoraConfig, get_peft_model

    from common.generation import FEW_ROWS, few_row_linears

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(48, 96), torch.nn.GELU(), torch.nn.Linear(96, 40, bias=False))
    lora = get_peft_model(torch.nn.Sequential(torch.nn.Linear(48, 32)),
                          LoraConfig(target_modules=["0"], r=4, init_lora_weights=False))
    few, many = torch.randn(2, 3, 48), torch.randn(FEW_ROWS + 1, 48)
    expected = [net(few), net(many), lora(few)]
    with few_row_linears(net), few_row_linears(lora):
        assert all("forward" in m.__dict__ for m in net if isinstance(m, torch.nn.Linear))
        got = [net(few), net(many), lora(few)]
    torch.testing.assert_close(got[0], expected[0], atol=1e-5, rtol=1e-5)
    assert torch.equal(got[1], expected[1])
    torch.testing.assert_close(got[2], expected[2], atol=1e-5, rtol=1e-5)
    assert got[0].shape == (2, 3, 40) and got[2].shape == (2, 3, 32)
    assert not any("forward" in m.__dict__ for m in [*net.modules(), *lora.modules()])


def test_next_tokens_draws_from_the_distribution_it_scores():
    """``next_tokens`` on fixed logits: the frequencies of 40,000 draws match softmax(logits / T) cut to the nucleus
    and renormalised (each within 4 standard errors), and the log-probs it returns are those of the full softmax."""
    from common.generation import next_tokens

    logits = torch.tensor([[2.0, 1.0, 0.5, 0.0, -1.0, -3.0]])
    T, top_p, n = 0.8, 0.9, 40_000
    probs = torch.softmax(logits[0] / T, -1)
    order = probs.argsort(descending=True)
    keep = torch.zeros_like(probs, dtype=torch.bool)
    total = 0.0
    for i in order.tolist():  # the smallest most-likely set reaching top_p
        keep[i] = True
        total += probs[i].item()
        if total >= top_p:
            break
    target = torch.where(keep, probs, 0.0)
    target = target / target.sum()
    torch.manual_seed(0)
    tokens, logp = next_tokens(logits.expand(n, -1), True, T, top_p)
    freq = torch.bincount(tokens, minlength=6).double() / n
    se = (target * (1 - target) / n).sqrt()
    assert ((freq - target).abs() <= 4 * se + 1e-12).all(), (freq, target)
    assert freq[~keep].sum() == 0
    torch.testing.assert_close(logp, torch.log(probs)[tokens], atol=1e-6, rtol=0)
    greedy, greedy_logp = next_tokens(logits, False)
    assert greedy.tolist() == [0] and abs(greedy_logp.item() - torch.log_softmax(logits[0], -1)[0].item()) < 1e-6
