"""The row layout's forwards: what every stage computes from a batch of prompt + response rows.

Two layouts of a batch, one function each for what is read off it:

* **labelled rows** (SFT, DPO; ``data.py``'s collators): right-padded ``input_ids`` with ``labels`` that are
  ``IGNORE_INDEX`` on the prompt and the padding. ``label_logprobs`` gives the log-prob of every labelled token.
* **generated rows** (PPO, evaluation; ``generation.concat_prompt_response``): left-padded prompts of length
  ``prompt_len`` followed by right-padded responses. ``response_logits`` / ``response_logprobs`` read the positions
  that predict the response tokens, ``response_values`` a critic's values of the states that emit them.

A scalar-head model (reward model, critic; ``modeling.ScalarHeadModel``) scores a row at its last real token:
``last_token_scores``. Every function calls the model as a module, so a DeepSpeed engine runs its own forward
(ZeRO-3 hooks, autocast).
"""
import torch

from .data import IGNORE_INDEX
from .ops import entropy_from_logits, gather_logprobs, last_token_index, position_ids_from_mask


def label_logprobs(model, batch: dict) -> tuple:
    """Per-token log-probs of the labelled tokens and their mask, both (B, T-1)."""
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits  # (B, T, V)
    labels = batch["labels"][:, 1:]  # (B, T-1): token t+1 is predicted at position t
    mask = (labels != IGNORE_INDEX).float()  # (B, T-1)
    logp = gather_logprobs(logits[:, :-1], labels.clamp(min=0))  # (B, T-1)
    return logp, mask


def response_logits(model, input_ids, attention_mask, prompt_len: int, temperature: float = 1.0):
    """Logits that predict each response token: (B, N, V), divided by the sampling temperature.

    The LM head runs only on the N + 1 last positions (``logits_to_keep``): the prompt's positions are never
    scored, and with a 49k–152k vocabulary the head is a fifth of the forward and most of its memory.
    """
    N = input_ids.shape[1] - prompt_len
    logits = model(input_ids=input_ids, attention_mask=attention_mask,
                   position_ids=position_ids_from_mask(attention_mask), logits_to_keep=N + 1).logits  # (B, N + 1, V)
    return logits[:, -(N + 1):-1] / temperature  # (B, N, V): positions P - 1 .. P + N - 2


def response_logprobs(model, input_ids, attention_mask, prompt_len: int, temperature: float = 1.0,
                      with_entropy: bool = False):
    """Per-token log-probs of the response under ``model``: (B, N); with the entropy (B, N) if asked."""
    logits = response_logits(model, input_ids, attention_mask, prompt_len, temperature)  # (B, N, V)
    logp = gather_logprobs(logits, input_ids[:, prompt_len:])  # (B, N)
    return (logp, entropy_from_logits(logits)) if with_entropy else logp


def response_values(critic, input_ids, attention_mask, prompt_len: int):
    """Critic values of the states that emit each response token: (B, N)."""
    return critic(input_ids, attention_mask)[:, prompt_len - 1: -1]  # (B, N)


def last_token_scores(model, input_ids, attention_mask) -> torch.Tensor:
    """A scalar-head model's values at each row's last real token: (B,)."""
    values = model(input_ids, attention_mask)  # (B, T)
    idx = last_token_index(attention_mask)  # (B,)
    return values.gather(1, idx.unsqueeze(1)).squeeze(1)  # (B,)
