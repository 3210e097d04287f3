"""The row-layout forwards (common/forward.py) against the plain path they replace: the full (B, T, V) logits of
the model, log-softmax, gather. The chunked head must give the same log-probs, entropies, KL and gradients."""
import pytest
import torch

from common import forward
from common.data import IGNORE_INDEX
from common.ops import position_ids_from_mask


@pytest.fixture(scope="module")
def models():
    from peft import LoraConfig, get_peft_model

    from common.modeling import load_causal_lm

    torch.manual_seed(0)
    lora = get_peft_model(load_causal_lm("embedded:tiny-qwen2"), LoraConfig(
        target_modules=["q_proj", "v_proj", "up_proj"], r=4, lora_alpha=32, init_lora_weights=False))
    full = load_causal_lm("embedded:tiny-qwen2")  # every weight trains, the tied embedding / head included
    return lora, full


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch, models):
    """Three positions per chunk, so every test crosses chunk boundaries."""
    monkeypatch.setattr(forward, "LOGIT_CHUNK_ELEMENTS", 3 * models[0].config.vocab_size)


def labelled_batch(vocab: int):
    g = torch.Generator().manual_seed(1)
    lengths, prompts = [11, 7, 9], [4, 3, 6]
    T = max(lengths)
    ids = torch.randint(3, vocab, (3, T), generator=g)
    mask = torch.zeros(3, T, dtype=torch.long)
    labels = torch.full((3, T), IGNORE_INDEX)
    for i, (n, p) in enumerate(zip(lengths, prompts)):
        mask[i, :n] = 1
        labels[i, p:n] = ids[i, p:n]
        ids[i, n:] = 0  # right padding
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def reference_label_logprobs(model, batch):
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits.float()
    labels = batch["labels"][:, 1:]
    mask = (labels != IGNORE_INDEX).float()
    logp = torch.log_softmax(logits[:, :-1], -1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return logp * mask, mask


@pytest.mark.parametrize("which", ["lora", "full"])
def test_label_logprobs_and_gradients_equal_the_full_logits_path(models, which):
    model = models[0] if which == "lora" else models[1]
    batch = labelled_batch(model.config.vocab_size)
    params = [p for p in model.parameters() if p.requires_grad]
    grads = []
    for fn in (reference_label_logprobs, forward.label_logprobs):
        model.zero_grad()
        logp, mask = fn(model, batch)
        weights = torch.linspace(0.5, 1.5, logp.numel()).view_as(logp)  # a loss that weighs every token differently
        (logp * mask * weights).sum().backward()
        grads.append([p.grad.clone() for p in params])
        if fn is reference_label_logprobs:
            expected, expected_mask = logp.detach(), mask
    logp, mask = forward.label_logprobs(model, batch)
    assert torch.equal(mask, expected_mask)
    assert mask.sum() == 11 - 4 + 7 - 3 + 9 - 6 and (logp[mask == 0] == 0).all()
    torch.testing.assert_close(logp.detach(), expected, atol=1e-5, rtol=0)
    for a, b in zip(*grads):
        torch.testing.assert_close(b, a, atol=1e-5, rtol=1e-4)


def generated_rows(vocab: int):
    """Two left-padded prompts (P = 5) followed by right-padded responses of 4 and 2 tokens."""
    g = torch.Generator().manual_seed(2)
    ids = torch.randint(3, vocab, (2, 9), generator=g)
    mask = torch.tensor([[1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 1, 0, 0]])
    ids[mask == 0] = 0
    return ids, mask, 5


def test_response_logprobs_entropy_and_kl_equal_the_full_logits_path(models):
    lora, full = models
    ids, mask, P = generated_rows(lora.config.vocab_size)
    rmask = mask[:, P:].float()
    with torch.no_grad():
        def full_logp(model, temperature):
            logits = model(input_ids=ids, attention_mask=mask, position_ids=position_ids_from_mask(mask)).logits
            return torch.log_softmax(logits[:, P - 1:-1].float() / temperature, -1)  # (B, N, V)

        ref = full_logp(lora, 0.7)
        expected = ref.gather(-1, ids[:, P:].unsqueeze(-1)).squeeze(-1) * rmask
        expected_entropy = -(ref.exp() * ref).sum(-1) * rmask
        logp, entropy = forward.response_logprobs(lora, ids, mask, P, 0.7, with_entropy=True)
        torch.testing.assert_close(logp, expected, atol=1e-5, rtol=0)
        torch.testing.assert_close(entropy, expected_entropy, atol=1e-5, rtol=0)

        p, q = full_logp(lora, 1.0), full_logp(full, 1.0)
        expected_kl = (p.exp() * (p - q)).sum(-1) * rmask
        torch.testing.assert_close(forward.response_kl(lora, full, ids, mask, P), expected_kl, atol=1e-5, rtol=0)
    assert (expected_kl[rmask.bool()] > 0).all()  # the two models do differ: the check above is not 0 == 0


def test_a_shared_critics_values_come_from_the_same_forward_as_the_logprobs(models):
    """``value_head``: the values are the head on the final hidden states of the positions that emit each response
    token (P-1 .. P+N-2), read from a plain ``output_hidden_states`` forward; the log-probs and entropies are those
    of the call without a head; the values' gradient reaches the head and, through the hidden states, the adapter."""
    lora, _ = models
    ids, mask, P = generated_rows(lora.config.vocab_size)
    torch.manual_seed(3)
    head = torch.nn.Linear(lora.config.hidden_size, 1)
    with torch.no_grad():
        hidden = lora(input_ids=ids, attention_mask=mask, position_ids=position_ids_from_mask(mask),
                      output_hidden_states=True).hidden_states[-1]  # (B, T, H)
        expected = head(hidden[:, P - 1:-1]).squeeze(-1)  # (B, N)
        logp, entropy = forward.response_logprobs(lora, ids, mask, P, 0.7, with_entropy=True)
    got_logp, got_entropy, values = forward.response_logprobs(lora, ids, mask, P, 0.7, with_entropy=True,
                                                              value_head=head)
    torch.testing.assert_close(values.detach(), expected, atol=1e-5, rtol=0)
    assert expected.abs().min() > 1e-3  # a head that reads something: the check above is not 0 == 0
    torch.testing.assert_close(got_logp.detach(), logp, atol=0, rtol=0)
    torch.testing.assert_close(got_entropy, entropy, atol=0, rtol=0)
    lora.zero_grad()
    (values * mask[:, P:]).sum().backward()
    assert head.weight.grad.abs().sum() > 0
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for n, p in lora.named_parameters() if "lora_" in n)
    lora.zero_grad()


def test_the_full_logits_tensor_is_never_built(models, monkeypatch):
    """The head sees at most one chunk of positions at a time, and only scored ones."""
    lora, _ = models
    batch = labelled_batch(lora.config.vocab_size)
    seen = []
    head = forward.output_head(lora)
    hook = head.register_forward_hook(lambda m, args, out: seen.append(out.shape[:-1].numel()))
    try:
        logp, mask = forward.label_logprobs(lora, batch)
        logp.sum().backward()
    finally:
        hook.remove()
    # the model's own call keeps one position per row; then chunks of at most 3 scored positions, forward and
    # the recomputation in backward
    assert seen[0] == 3 and max(seen[1:]) <= 3
    assert sum(seen[1:]) == 2 * int(mask.sum())


def test_a_trimmed_slice_of_rollout_rows_scores_as_the_whole_rows(models):
    """``trim_rows``: a slice of a rollout (here the second row alone, whose prompt is 2 shorter and response 2
    shorter than the rollout's) cut to the columns it uses gives the same log-probs, padded back with ``pad_columns``,
    and the same reward-model-style last-token scores."""
    lora, _ = models
    ids, mask, P = generated_rows(lora.config.vocab_size)
    with torch.no_grad():
        whole = forward.response_logprobs(lora, ids, mask, P)
        t_ids, t_mask, p, n = forward.trim_rows(ids[1:], mask[1:], P)
        assert (t_ids.shape[1], p, n) == (5, 3, 2)  # 2 leading pad columns and 2 trailing response columns gone
        part = forward.pad_columns(forward.response_logprobs(lora, t_ids, t_mask, p), ids.shape[1] - P)
        torch.testing.assert_close(part, whole[1:], atol=1e-5, rtol=0)
        t_ids, t_mask, p, n = forward.trim_rows(ids, mask, P)
        assert t_ids.shape == ids.shape and (p, n) == (P, 4)  # nothing to cut from the whole rollout
