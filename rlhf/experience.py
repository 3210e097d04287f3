"""Make PPO experience: generate with the actor, then score every response token with the four models.

A rollout row is ``[left-padded prompt | response | right padding]``: P prompt columns, N response columns.
Response token ``t`` sits at column ``P + t`` and is predicted from column ``P + t - 1``, so log-probs and values
of the response are read at columns ``P - 1 .. P + N - 2``. Positions come from the attention mask (left padding
does not shift them), the response mask from the generated lengths (never from comparing with the pad id:
Qwen2.5's PAD differs from its EOS, and EOS is a real, scored token).
"""
import importlib
import importlib.util
import os
import sys
import time
from dataclasses import dataclass, field

import torch

from common import zero3
from common.forward import pad_columns, response_logprobs, response_values, trim_rows
from common.generation import concat_prompt_response, decode_responses, ended, generate, stop_token_ids
from rlhf.losses import overlong_penalty


@dataclass
class Rollout:
    input_ids: torch.Tensor  # (B, P + N)
    attention_mask: torch.Tensor  # (B, P + N)
    response_mask: torch.Tensor  # (B, N) float, 1.0 on generated tokens (EOS included)
    prompt_len: int  # P
    logprobs: torch.Tensor  # (B, N) actor, at sampling time
    ref_logprobs: torch.Tensor  # (B, N)
    values: torch.Tensor  # (B, N) critic
    scores: torch.Tensor  # (B,) reward after clipping / EOS penalty
    raw_scores: torch.Tensor  # (B,) reward as the judge gave it
    ended: torch.Tensor  # (B,) bool, the response emitted EOS
    prompts: list = field(default_factory=list)
    responses: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)

    def rows(self, idx) -> dict:
        """Tensors of a mini-batch of rows."""
        return {k: getattr(self, k)[idx] for k in ("input_ids", "attention_mask", "response_mask", "logprobs",
                                                      "ref_logprobs", "values")}


def load_reward_fn(spec: str):
    """``FILE.py:FUNCTION`` -> the function ``fn(prompts, responses) -> list[float]``. A file inside a package
    (``easyds/rubric.py``) is imported as that package's module, so its own relative imports work."""
    path, name = spec.rsplit(":", 1)
    path = os.path.abspath(path)
    parts, root = [os.path.splitext(os.path.basename(path))[0]], os.path.dirname(path)
    while os.path.exists(os.path.join(root, "__init__.py")):
        parts.insert(0, os.path.basename(root))
        root = os.path.dirname(root)
    if len(parts) > 1:
        if root not in sys.path:
            sys.path.insert(0, root)
        module = importlib.import_module(".".join(parts))
    else:
        module_spec = importlib.util.spec_from_file_location("easyds_reward_fn", path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
    if not callable(getattr(module, name, None)):
        raise ValueError(f"--reward_fn {spec}: {path} defines no function {name!r}")
    return getattr(module, name)


class ExperienceMaker:
    """Generates with the actor and scores with reference, critic and reward (model or function).

    ``reference`` is None in ``adapter_disabled`` mode: the actor with its LoRA adapter switched off is then the
    reference, so no second copy of the weights is held. ``critic`` is None for the critic-free estimators (RLOO,
    GRPO, REINFORCE++): values are then zeros and never used. ``value_head`` (``--critic shared``, with ``critic``
    None): the actor's own value head, whose values come with the actor's log-probs (the sampler's, or the same
    forward's), so a shared critic costs no forward of its own.
    """

    def __init__(self, actor, reference, critic, reward, tokenizer, ppo_args, device, forward_batch_size: int,
                 value_head=None):
        self.actor, self.reference, self.critic, self.reward = actor, reference, critic, reward
        self.value_head = value_head
        self.tokenizer, self.args, self.device = tokenizer, ppo_args, device
        self.forward_batch_size = forward_batch_size
        self.stop_ids = stop_token_ids(tokenizer)
        # --rollout_logprobs: the rollout's log-probs are the sampler's own (auto: in float32), else a forward's
        self.sampler_logprobs = ppo_args.rollout_logprobs == "sampler" or (
            ppo_args.rollout_logprobs == "auto" and next(actor.module.parameters()).dtype == torch.float32)

    @torch.no_grad()
    def sample(self, batch: dict) -> tuple:
        """``(prompt_ids, prompt_mask, responses, logprobs, values)``: one sampled response per row, exactly from the
        policy whose log-probs PPO uses (full softmax at ``--temperature``, ``--top_p``, no inherited top-k or
        penalties), each token's log-prob under it and, with a shared critic, each token's value (lists of lists;
        values None without a shared critic)."""
        args, dev = self.args, self.device
        prompt_ids, prompt_mask = batch["input_ids"].to(dev), batch["attention_mask"].to(dev)
        # In gathered mode the LoRA weights are merged into the weights while decoding (one matmul per layer instead
        # of three; under ZeRO-3 into the gathered weights, else into a copy); with --rollout_logprobs forward the
        # log-probs are recomputed through the unmerged model.
        out = generate(self.actor, self.tokenizer, prompt_ids, prompt_mask, args.max_new_tokens, do_sample=True,
                       temperature=args.temperature, top_p=args.top_p, mode=args.generation_mode, merge_lora=True,
                       return_logprobs=True, value_head=self.value_head)
        responses, logprobs, values = out if self.value_head is not None else (*out, None)
        return prompt_ids, prompt_mask, responses, logprobs, values

    def rows(self, prompt_ids, prompt_mask, responses) -> tuple:
        """``(input_ids, attention_mask, response_mask)`` of prompts followed by their responses, on the device."""
        out = concat_prompt_response(prompt_ids, prompt_mask, responses, self.tokenizer.pad_token_id)
        return tuple(t.to(self.device) for t in out)

    @torch.no_grad()
    def make(self, batch: dict) -> Rollout:
        args, tok, dev = self.args, self.tokenizer, self.device
        t0 = time.time()
        prompt_ids, prompt_mask, responses, sampled_logprobs, sampled_values = self.sample(batch)
        t1 = time.time()
        input_ids, attention_mask, response_mask = self.rows(prompt_ids, prompt_mask, responses)
        P = prompt_ids.shape[1]
        N = input_ids.shape[1] - P
        logprobs, ref_logprobs, values = [], [], []
        if self.sampler_logprobs:  # the decoding loop's per-token lists as (B, N), zeros on the padding
            def as_rows(lists):
                return [torch.tensor([row + [0.0] * (N - len(row)) for row in lists], device=dev)]

            logprobs = as_rows(sampled_logprobs)
            values = as_rows(sampled_values) if sampled_values is not None else []
        for s in range(0, input_ids.shape[0], self.forward_batch_size):
            # each chunk cut to the columns its rows use; its (b, n) results padded back to the rollout's N
            ids, mask, p, n = trim_rows(input_ids[s: s + self.forward_batch_size],
                                        attention_mask[s: s + self.forward_batch_size], P)
            if not self.sampler_logprobs:
                out = response_logprobs(self.actor, ids, mask, p, args.temperature, value_head=self.value_head)
                logprobs.append(pad_columns(out[0] if self.value_head is not None else out, N))
                if self.value_head is not None:
                    values.append(pad_columns(out[1], N))
            if self.reference is None:
                with self.actor.module.disable_adapter():
                    ref_logprobs.append(pad_columns(response_logprobs(self.actor, ids, mask, p, args.temperature), N))
            else:
                ref_logprobs.append(pad_columns(response_logprobs(self.reference, ids, mask, p, args.temperature), N))
            if self.critic is not None:
                values.append(pad_columns(response_values(self.critic, ids, mask, p), N))
        prompts = [r["prompt"] for r in batch["records"]]
        texts = decode_responses(tok, responses)
        raw_scores = self.score(input_ids, attention_mask, P, prompts, texts)
        is_ended = torch.tensor([ended(r, self.stop_ids) for r in responses], device=dev)
        scores = raw_scores.clone()
        if args.missing_eos_penalty is not None:
            scores = torch.where(is_ended, scores, scores - args.missing_eos_penalty)
        if args.overlong_buffer:
            lengths = response_mask.sum(-1)  # (B,)
            scores = scores + overlong_penalty(lengths, args.max_new_tokens, args.overlong_buffer,
                                               args.overlong_penalty)
        if args.reward_clip > 0:
            scores = scores.clamp(-args.reward_clip, args.reward_clip)
        t2 = time.time()
        logprobs = torch.cat(logprobs)
        values = torch.cat(values) * response_mask if values else torch.zeros_like(logprobs)
        return Rollout(input_ids, attention_mask, response_mask, P, logprobs, torch.cat(ref_logprobs), values,
                       scores, raw_scores, is_ended, prompts, texts,
                       {"time/generate": t1 - t0, "time/score": t2 - t1})

    @torch.no_grad()
    def score(self, input_ids, attention_mask, prompt_len, prompts, texts) -> torch.Tensor:
        """The judge's scores of whole rows ``[prompt | response]``, (B,): the reward model or ``--reward_fn``."""
        if not hasattr(zero3.unwrap(self.reward), "score"):  # a --reward_fn function, not a reward model
            scores = self.reward(prompts, texts)
            if len(scores) != len(texts):
                raise ValueError(f"--reward_fn returned {len(scores)} scores for {len(texts)} responses")
            return torch.tensor([float(s) for s in scores], device=self.device)
        out = []
        for s in range(0, input_ids.shape[0], self.forward_batch_size):
            ids, mask, _, _ = trim_rows(input_ids[s: s + self.forward_batch_size],
                                        attention_mask[s: s + self.forward_batch_size], prompt_len)
            out.append(zero3.unwrap(self.reward).score(ids, mask))
        return torch.cat(out).float()
