"""Shared prefixes computed once (common/shared_prefix.py) against the plain forward of every row: the split a batch
gets (hand-worked), and the hidden states, scores and gradients it gives (equal within float rounding) for each
layout the stages use: preference pairs (right-padded), K samples of a prompt (left-padded prompts), a common
system prompt only, nothing shared."""
import pytest
import torch

from common import forward, shared_prefix
from common.ops import position_ids_from_mask


def batch(rows: list, side: str = "right"):
    """(input_ids, attention_mask) of token lists, padded with id 0 on ``side``."""
    T = max(map(len, rows))
    ids = torch.zeros(len(rows), T, dtype=torch.long)
    mask = torch.zeros(len(rows), T, dtype=torch.long)
    for i, r in enumerate(rows):
        cols = slice(0, len(r)) if side == "right" else slice(T - len(r), T)
        ids[i, cols], mask[i, cols] = torch.tensor(r), 1
    return ids, mask


def test_plan_of_pairs_hand_worked():
    system, a, b = list(range(10, 20)), [31, 32, 33], [41, 42, 43, 44, 45]
    rows = [system + a + [1, 2], system + b + [3], system + a + [4, 5, 6], system + b + [7, 8]]
    split = shared_prefix.plan(*batch(rows))
    # every row shares the 10-token system prompt; rows 0 and 2 share prompt a (13 tokens), rows 1 and 3 prompt b
    assert split.k0 == 10
    assert sorted(zip(split.group_len, split.group_rows)) == [(13, 0), (15, 1)]
    assert split.row_shared == [13, 15, 13, 15]
    assert split.row_group[0] == split.row_group[2] != split.row_group[1] == split.row_group[3]
    # positions computed, padding counted: 10 + 2 groups × 5 (prompt b's 5 after the prefix) + 4 rows × 3
    assert split.cost == 10 + 2 * 5 + 4 * 3


def test_plan_of_a_common_prefix_alone_and_of_rows_that_share_nothing():
    system = list(range(10, 22))
    rows = [system + [50 + i] * (3 + i) for i in range(4)]
    split = shared_prefix.plan(*batch(rows, "left"))  # left padding: real tokens counted from their first column
    assert (split.k0, split.group_len, split.row_shared) == (12, [], [12] * 4)
    assert split.starts == [3, 2, 1, 0] and split.lengths == [15, 16, 17, 18]
    assert shared_prefix.plan(*batch([[i] * 9 for i in range(3, 7)])) is None  # no common first token
    assert shared_prefix.plan(*batch([system + [1]])) is None  # one row
    short = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]] * 2 + [[1, 2, 3]]
    assert shared_prefix.plan(*batch(short)) is None  # a 3-token row: the common prefix (2) is below the minimum
    ids, mask = batch([system + [1, 2]] * 3)
    mask[1, 4] = 0  # a hole inside a row's real tokens: not a layout the split handles
    assert shared_prefix.plan(ids, mask) is None


def test_each_row_keeps_a_token_of_its_own():
    system = list(range(10, 22))
    split = shared_prefix.plan(*batch([system + [1, 2], system + [1, 2], system + [1, 2, 3]]))
    assert split.row_shared == [13, 13, 13]  # the two identical 14-token rows still compute their last token


@pytest.fixture(scope="module")
def lora_model():
    from peft import LoraConfig, get_peft_model

    from common.modeling import load_causal_lm

    torch.manual_seed(0)
    return get_peft_model(load_causal_lm("embedded:tiny-qwen2"), LoraConfig(
        target_modules=["q_proj", "v_proj", "up_proj"], r=4, lora_alpha=32, init_lora_weights=False)).train()


def layouts(vocab: int) -> dict:
    g = torch.Generator().manual_seed(1)
    tokens = lambda n: torch.randint(5, vocab, (n,), generator=g).tolist()  # noqa: E731
    system = tokens(20)
    prompts = [tokens(n) for n in (15, 9, 22, 4)]
    responses = [tokens(n) for n in (12, 7, 30, 5, 9, 14, 3, 20)]
    return {
        "pairs": batch([system + p + r for p, r in zip(prompts + prompts, responses)]),
        "samples_of_a_prompt": batch([system + prompts[i // 3] + r for i, r in enumerate(responses[:6])], "left"),
        "system_prompt_only": batch([system + p + r for p, r in zip(prompts, responses)], "left"),
        "nothing_shared": batch([p + r for p, r in zip(prompts, responses)]),
    }


def plain_hidden(model, ids, mask):
    out = model(input_ids=ids, attention_mask=mask, position_ids=position_ids_from_mask(mask),
                output_hidden_states=True, logits_to_keep=1, use_cache=False)
    return out.hidden_states[-1]


def hidden_and_grads(fn, model, ids, mask, weights):
    model.zero_grad()
    hidden = fn(model, ids, mask)
    (hidden * weights).sum().backward()
    return hidden.detach(), {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}


@pytest.mark.parametrize("layout", ["pairs", "samples_of_a_prompt", "system_prompt_only", "nothing_shared"])
def test_hidden_states_and_gradients_equal_the_plain_forward(lora_model, layout):
    ids, mask = layouts(lora_model.config.vocab_size)[layout]
    split = shared_prefix.plan(ids, mask)
    expected_groups = {"pairs": 4, "samples_of_a_prompt": 2, "system_prompt_only": 0}
    if layout == "nothing_shared":
        assert split is None
    else:  # the split computes fewer positions than the padded batch holds
        assert len(split.group_len) == expected_groups[layout] and split.k0 >= 20 and split.cost < ids.numel()
    weights = torch.randn(*ids.shape, lora_model.config.hidden_size, generator=torch.Generator().manual_seed(2))
    weights = weights * mask.unsqueeze(-1)  # a loss on every real position
    h0, g0 = hidden_and_grads(plain_hidden, lora_model, ids, mask, weights)
    h1, g1 = hidden_and_grads(forward.final_hidden, lora_model, ids, mask, weights)
    real = mask.bool()
    assert torch.allclose(h1[real], h0[real], atol=1e-5)
    if split is not None:
        assert (h1[~real] == 0).all()  # the split leaves padding at zeros (never read)
    assert g0.keys() == g1.keys() and len(g0) == 2 * 3 * lora_model.config.num_hidden_layers  # every LoRA matrix
    for name in g0:
        assert (g1[name] - g0[name]).abs().max() <= 1e-5 * g0[name].abs().max(), name  # float rounding


def test_reward_model_scores_and_critic_values_equal_the_plain_forward():
    from common.modeling import ScalarHeadModel

    torch.manual_seed(0)
    model = ScalarHeadModel.from_backbone("embedded:tiny-qwen2").train()
    ids, mask = layouts(model.config.vocab_size)["pairs"]
    assert shared_prefix.plan(ids, mask) is not None
    values = model(ids, mask)
    hidden = model.backbone(input_ids=ids, attention_mask=mask, position_ids=position_ids_from_mask(mask),
                            use_cache=False).last_hidden_state
    expected = model.value_head(hidden).squeeze(-1)
    real = mask.bool()
    assert torch.allclose(values[real], expected[real], atol=1e-5)
    assert torch.allclose(model.score(ids, mask), expected[torch.arange(8), mask.sum(1) - 1], atol=1e-5)


def test_gradient_checkpointing_runs_the_plain_forward(monkeypatch):
    from common.modeling import enable_gradient_checkpointing, load_causal_lm

    model = load_causal_lm("embedded:tiny-qwen2").train()
    ids, mask = layouts(model.config.vocab_size)["pairs"]
    assert shared_prefix.usable(model)
    enable_gradient_checkpointing(model)
    assert not shared_prefix.usable(model)  # transformers drops the cache in checkpointed layers
    calls = []
    monkeypatch.setattr(shared_prefix, "hidden_states", lambda *a: calls.append(a))
    hidden = forward.final_hidden(model, ids, mask)
    assert calls == [] and torch.allclose(hidden, plain_hidden(model, ids, mask), atol=1e-6)
    model.eval()  # in eval mode transformers does not checkpoint: the split is used again
    assert shared_prefix.usable(model)


@pytest.mark.slow
def test_two_zero3_ranks_call_the_model_equally_often_and_train_as_the_plain_forward(tmp_path):
    """tests/shared_prefix_check.py under the deepspeed launcher (see its docstring): rank 0's batch plans three
    forwards, rank 1's three, two or one; both make the fewest any rank planned (ZeRO-3 gathers collectively, so
    unequal counts would hang), with hidden states equal to a plain forward's; a training step through the split
    forward leaves the same model as one through the plain forward."""
    import json
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from conftest import ROOT, _free_port

    cmd = [str(Path(sys.executable).parent / "deepspeed"), "--num_gpus", "2", "--master_port", str(_free_port()),
           str(ROOT / "tests" / "shared_prefix_check.py"), "--out", str(tmp_path)]
    env = dict(os.environ, PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        raise AssertionError(f"two-rank shared-prefix check timed out (a hang?):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    assert proc.returncode == 0, f"shared_prefix_check failed:\n{stdout[-3000:]}\n{stderr[-6000:]}"
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in range(2)]
    assert [r["rank"] for r in ranks] == [0, 1] and all(r["zero3"] and r["world_size"] == 2 for r in ranks)
    assert [s["planned"] for s in ranks[0]["scenarios"]] == [3, 3, 3]
    assert [s["planned"] for s in ranks[1]["scenarios"]] == [3, 2, 1]
    for r in ranks:
        assert [s["calls"] for s in r["scenarios"]] == [3, 2, 1]  # the fewest forwards either rank planned
        assert all(s["max_diff"] < 1e-5 for s in r["scenarios"])
        split_loss, plain_loss = r["loss_before"]
        assert split_loss == pytest.approx(plain_loss, rel=1e-5, abs=1e-6)
        after_split, after_plain = r["loss_after"]
        assert after_split != pytest.approx(split_loss, rel=1e-3)  # the step moved the model
        assert after_split == pytest.approx(after_plain, rel=1e-4, abs=1e-5)
