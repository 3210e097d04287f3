"""Generation: gathered ZeRO-3 decoding = decoding through the hooks = an unsharded copy; ranks never wait on each
other; training after generation is untouched. Plus the unsharded path and EOS cutting on one rank.

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


def test_merging_lora_while_gathered_gives_the_same_tokens_and_unmerges(ranks):
    for r in ranks:
        assert r["merged"] == r["gathered"]
        assert r["lora_unmerged"] and r["weights_kept"]


def test_frozen_inference_engine(ranks, tokenizer):
    for r in ranks:
        assert r["ref_zero3"]  # the offload object is engine.optimizer itself
        expected = [cut(row, tokenizer.eos_token_id) for row in r["ref_unsharded"]]
        assert r["ref_gathered"] == expected and r["ref_naive"] == expected
        assert r["ref_layout_kept"] and r["ref_logits_match"]


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
        # ...while through the hooks every token gathers the layers again.
        a, b = r["naive_collectives_1_vs_12"]
        assert b > a
    # Ranks stay in step when they issue the same collectives, however many tokens each decoded.
    for key in ("eos_gathered_collectives", "eos_merged_collectives", "eos_naive_collectives", "ref_eos_collectives"):
        assert ranks[0][key] == ranks[1][key], key


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
