"""The row layout's forwards: what every stage computes from a batch of prompt + response rows.

Two layouts of a batch, one function each for what is read off it:

* **labelled rows** (SFT, DPO; ``data.py``'s collators): right-padded ``input_ids`` with ``labels`` that are
  ``IGNORE_INDEX`` on the prompt and the padding. ``label_logprobs`` gives the log-prob of every labelled token.
* **generated rows** (PPO, evaluation; ``generation.concat_prompt_response``): left-padded prompts of length
  ``prompt_len`` followed by right-padded responses. ``response_logprobs`` reads the positions that predict the
  response tokens, ``response_kl`` the exact KL between two models there, ``response_values`` a critic's values of
  the states that emit them.

**Logits only where they are scored.** The LM head (49k–152k outputs per position) is the largest single matmul of
a small model's forward and its output the largest tensor. So the model runs with ``logits_to_keep=1``, the last
layer's hidden states are read off, and the head runs only on the positions that are scored (labelled tokens, real
response tokens), ``LOGIT_CHUNK_ELEMENTS`` logits at a time: the full (rows × positions × vocabulary) tensor never
exists. Under autograd each chunk is recomputed in backward (``_HeadLogprobs``, one ``exp`` pass each way), so only
one chunk's logits are ever held.

A scalar-head model (reward model, critic; ``modeling.ScalarHeadModel``) scores a row at its last real token:
``last_token_scores``. Every function calls the model as a module, so a DeepSpeed engine runs its own forward
(ZeRO-3 hooks, autocast).
"""
import torch

from . import shared_prefix
from .data import IGNORE_INDEX
from .ops import last_token_index

LOGIT_CHUNK_ELEMENTS = 2 ** 25  # logits held at once (128 MiB in float32): 682 positions of SmolLM2, 220 of Qwen2.5


def final_hidden(model, input_ids, attention_mask) -> torch.Tensor:
    """The last layer's (normalised) hidden states, (B, T, H), positions counted over real tokens; the LM head runs
    on the last position only. A prefix the rows share is computed once (``shared_prefix``)."""
    def run(ids, mask, positions, cache):
        out = model(input_ids=ids, attention_mask=mask, position_ids=positions, past_key_values=cache,
                    use_cache=cache is not None, output_hidden_states=True, logits_to_keep=1)
        return out.hidden_states[-1]

    return shared_prefix.last_hidden(model, run, input_ids, attention_mask)


def output_head(model) -> torch.nn.Module:
    """The LM head of a causal LM, a DeepSpeed engine around one, or a peft model of one."""
    model = getattr(model, "module", model)  # a DeepSpeed engine
    return model.get_output_embeddings()


def _chunk_positions(head) -> int:
    """Positions per chunk for this head; its vocabulary read from the shape a ZeRO-3 shard records."""
    weight = head.weight
    return max(1, LOGIT_CHUNK_ELEMENTS // (getattr(weight, "ds_shape", None) or weight.shape)[0])


def token_logprobs(head, hidden: torch.Tensor, targets: torch.Tensor, temperature: float = 1.0,
                   with_entropy: bool = False):
    """log p(target) at each of M positions, (M,), from their hidden states (M, H) and the LM ``head``, in float32;
    with the entropy of each position's distribution (M,) if asked (a statistic: no gradient flows through it).

    The head runs on chunks of positions (``_HeadLogprobs``); under autograd a chunk's logits are recomputed in
    backward instead of kept.
    """
    step = _chunk_positions(head)
    logps, entropies = [], []
    for s in range(0, hidden.shape[0], step):
        logp, entropy = _HeadLogprobs.apply(hidden[s: s + step], targets[s: s + step], head, temperature,
                                            with_entropy)
        logps.append(logp)
        entropies.append(entropy)
    logp = torch.cat(logps) if logps else hidden.new_zeros(0, dtype=torch.float32)
    if not with_entropy:
        return logp
    return logp, (torch.cat(entropies) if entropies else logp.detach().clone())


class _HeadLogprobs(torch.autograd.Function):
    """One chunk's log p(target) (and entropy) of softmax(head(h) / T), the (m, V) logits never kept for backward.

    Written out rather than as ``log_softmax`` + ``gather`` under activation checkpointing: on a CPU the passes over
    the (m, V) logits (exp above all), not the head's matmul, are the cost. Forward: the logits once, one ``exp``
    pass for the normaliser and the entropy, z_target − logsumexp(z). Backward: the logits again, one ``exp`` pass
    for softmax(z), and d log p / dz = onehot(target) − softmax(z) sent back through ``head`` by autograd, so the
    head's own parameters (a tied embedding, a ZeRO-3 module whose hooks gather its weight) get their gradients as
    from any module, as with re-entrant checkpointing.
    """

    @staticmethod
    def forward(ctx, hidden, targets, head, temperature, with_entropy):
        z = head(hidden).float()  # (m, V)
        if temperature != 1.0:
            z.div_(temperature)
        z_max = z.max(-1, keepdim=True).values  # (m, 1)
        z.sub_(z_max)
        z_target = z.gather(-1, targets.unsqueeze(-1)).squeeze(-1)  # (m,)
        e = z.exp()  # (m, V) exp(z - max)
        total = e.sum(-1)  # (m,)
        log_total = total.log()
        logp = z_target - log_total  # (m,)
        # H = logsumexp(z) − E_p[z], both relative to the max
        entropy = log_total - e.mul_(z).sum(-1) / total if with_entropy else None
        ctx.head, ctx.temperature = head, temperature
        ctx.save_for_backward(hidden, targets, z_max.squeeze(-1) + log_total)
        ctx.mark_non_differentiable(*([entropy] if with_entropy else []))
        return logp, entropy

    @staticmethod
    def backward(ctx, grad_logp, _grad_entropy):
        hidden, targets, lse = ctx.saved_tensors
        with torch.enable_grad():
            h = hidden.detach().requires_grad_(hidden.requires_grad)
            z = ctx.head(h).float()  # (m, V), in the graph of the head's parameters
            if ctx.temperature != 1.0:
                z = z / ctx.temperature
        with torch.no_grad():
            grad_z = (z.detach() - lse.unsqueeze(-1)).exp_().mul_(-grad_logp.unsqueeze(-1))  # −g·softmax(z)
            grad_z.scatter_add_(-1, targets.unsqueeze(-1), grad_logp.unsqueeze(-1))  # + g·onehot(target)
        torch.autograd.backward(z, grad_z)
        return (h.grad if hidden.requires_grad else None), None, None, None, None


def _scatter(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """(B, N) float32 zeros with ``values`` (M,) written where ``mask`` (B, N) is true, in row-major order."""
    return torch.zeros(mask.shape, dtype=torch.float32, device=mask.device).masked_scatter(mask, values)


def label_logprobs(model, batch: dict) -> tuple:
    """Per-token log-probs of the labelled tokens and their mask, both (B, T-1); 0 where nothing is labelled."""
    labels = batch["labels"][:, 1:]  # (B, T-1): token t+1 is predicted at position t
    mask = labels != IGNORE_INDEX  # (B, T-1)
    hidden = final_hidden(model, batch["input_ids"], batch["attention_mask"])[:, :-1]  # (B, T-1, H)
    logp = token_logprobs(output_head(model), hidden[mask], labels[mask])  # (M,)
    return _scatter(logp, mask), mask.float()


def response_hidden(model, input_ids, attention_mask, prompt_len: int) -> torch.Tensor:
    """Hidden states of the positions that predict each response token: (B, N, H), positions P-1 .. P+N-2."""
    hidden = final_hidden(model, input_ids, attention_mask)
    return hidden[:, prompt_len - 1: -1]


def response_logprobs(model, input_ids, attention_mask, prompt_len: int, temperature: float = 1.0,
                      with_entropy: bool = False, value_head=None):
    """Per-token log-probs of the response under ``model`` at the sampling temperature: (B, N), 0 on padding; with
    the entropy (B, N) if asked. Only real response tokens (``attention_mask`` 1) are scored.

    ``value_head`` (a shared critic, ``modeling.add_value_head``): also the values of the states that emit each
    response token, (B, N) float32, from the same hidden states, returned last.
    """
    mask = attention_mask[:, prompt_len:].bool()  # (B, N)
    hidden = response_hidden(model, input_ids, attention_mask, prompt_len)  # (B, N, H)
    out = token_logprobs(output_head(model), hidden[mask], input_ids[:, prompt_len:][mask], temperature,
                         with_entropy)
    out = [_scatter(x, mask) for x in (out if with_entropy else [out])]
    if value_head is not None:
        out.append(value_head(hidden).squeeze(-1).float())  # (B, N)
    return out[0] if len(out) == 1 else tuple(out)


@torch.no_grad()
def response_kl(policy, reference, input_ids, attention_mask, prompt_len: int) -> torch.Tensor:
    """Exact per-token KL(policy || reference) over the whole vocabulary at each real response position: (B, N),
    0 on padding; chunked like ``token_logprobs``."""
    mask = attention_mask[:, prompt_len:].bool()  # (B, N)
    hp = response_hidden(policy, input_ids, attention_mask, prompt_len)[mask]  # (M, H)
    hq = response_hidden(reference, input_ids, attention_mask, prompt_len)[mask]  # (M, H)
    head_p, head_q = output_head(policy), output_head(reference)
    step, kl = _chunk_positions(head_p), []
    for s in range(0, hp.shape[0], step):
        logp = torch.log_softmax(head_p(hp[s: s + step]).float(), -1)  # (m, V)
        logq = torch.log_softmax(head_q(hq[s: s + step]).float(), -1)  # (m, V)
        kl.append((logp.exp() * (logp - logq)).sum(-1))  # (m,)
    return _scatter(torch.cat(kl) if kl else hp.new_zeros(0, dtype=torch.float32), mask)


def trim_rows(input_ids, attention_mask, prompt_len: int) -> tuple:
    """Generated rows cut to what some row of them uses: ``(input_ids, attention_mask, prompt_len, n)``.

    A slice of a rollout (a mini-batch, a scoring chunk) keeps the rollout's columns: the prompt padding of its
    longest prompt and the response columns of its longest response. Dropping the leading columns no row attends to
    and the response columns past the longest response of the slice changes nothing a row computes (positions come
    from the mask); the response tensors of the slice are then its first ``n`` columns.
    """
    first = min(int(attention_mask.bool().any(0).nonzero()[0]), prompt_len - 1)  # every prompt has a real token
    n = max(1, int(attention_mask[:, prompt_len:].sum(1).max()))
    return input_ids[:, first: prompt_len + n], attention_mask[:, first: prompt_len + n], prompt_len - first, n


def pad_columns(x: torch.Tensor, width: int) -> torch.Tensor:
    """(B, n) -> (B, width), zeros on the right: a trimmed slice's response tensor back to the rollout's width."""
    return torch.nn.functional.pad(x, (0, width - x.shape[1]))


def response_values(critic, input_ids, attention_mask, prompt_len: int):
    """Critic values of the states that emit each response token: (B, N)."""
    return critic(input_ids, attention_mask)[:, prompt_len - 1: -1]  # (B, N)


def last_token_scores(model, input_ids, attention_mask) -> torch.Tensor:
    """A scalar-head model's values at each row's last real token: (B,)."""
    values = model(input_ids, attention_mask)  # (B, T)
    idx = last_token_index(attention_mask)  # (B,)
    return values.gather(1, idx.unsqueeze(1)).squeeze(1)  # (B,)
