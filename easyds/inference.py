"""The teaching-prompt generator as a library: what EasyDS's tutoring front end (and ``easyds/serving.py``) calls.

    from easyds.inference import TeachingPromptGenerator
    gen = TeachingPromptGenerator.from_pretrained("runs/demo/seed-42/dpo/final")
    [hint] = gen.generate([{"topic": "Stacks", "exercise": "Check balanced brackets.",
                            "attempt": "pushes every bracket but never pops", "level": "beginner"}])
    print(hint.text, hint.finish_reason)

``from_pretrained`` takes any stage's ``final/`` (a LoRA adapter, stacked adapters included: merged into the base
once, at load), an export of ``launch/export.py``, a plain checkpoint directory or ``embedded:NAME``. It asks the
model as it was trained: the situation rendered like the data set's prompts (``situations.render_situation``), in the
chat template with the training run's system prompt (``serving_config``).

Every request is checked here, in one place, for the Python API and the HTTP service alike (``parse_request``):
unknown fields, missing or empty fields, wrong types, oversize text and out-of-range settings raise
``RequestError`` naming the field; a situation longer than the model's prompt budget is rejected, never cut.
"""
import json
import os
import threading
from dataclasses import dataclass, field

import torch

from common.continuous_batching import ContinuousBatch
from common.data import pad_sequences
from common.embedded import resolve_model_path
from common.generation import decode_responses, ended, generate, stop_token_ids
from common.modeling import inference_device, load_causal_lm, load_tokenizer, resolve_dtype
from common.templates import prompt_ids

from .situations import MAX_FIELD_CHARS, SYSTEM_PROMPT, RequestError, check_situation, render_situation

SERVING_CONFIG = "teaching_prompt.json"  # written by launch/export.py next to the weights
SETTINGS = ("max_new_tokens", "do_sample", "temperature", "top_p")


@dataclass(frozen=True)
class Limits:
    """What one request may ask for."""
    max_field_chars: int = MAX_FIELD_CHARS
    max_prompt_tokens: int = 256
    max_new_tokens: int = 256


@dataclass(frozen=True)
class Sampling:
    """Decoding settings of one request. Greedy (``do_sample`` false) ignores temperature and top_p."""
    max_new_tokens: int = 128
    do_sample: bool = False
    temperature: float = 1.0
    top_p: float = 1.0

    def batch_key(self) -> tuple:
        """Requests with equal keys may share a batch (``max_new_tokens`` may differ: each row is cut to its own)."""
        return (True, self.temperature, self.top_p) if self.do_sample else (False,)


@dataclass
class TeachingPrompt:
    text: str
    finish_reason: str  # "stop": the model ended its turn; "length": cut at max_new_tokens
    tokens: int  # generated tokens, the end-of-turn token included
    token_ids: list = field(default_factory=list, repr=False, compare=False)  # those tokens (a reward model's input)


def check_sampling(settings: dict, default: Sampling, max_new_tokens_limit: int) -> Sampling:
    """``settings`` (a subset of ``SETTINGS``) over ``default``, type- and range-checked."""
    values = {**default.__dict__}
    for name, value in settings.items():
        if name == "do_sample":
            if not isinstance(value, bool):
                raise RequestError(name, f"expected true or false, got {type(value).__name__}")
        elif name == "max_new_tokens":
            if isinstance(value, bool) or not isinstance(value, int):
                raise RequestError(name, f"expected an integer, got {type(value).__name__}")
            if not 1 <= value <= max_new_tokens_limit:
                raise RequestError(name, f"{value}; expected 1 to {max_new_tokens_limit}")
        elif name in ("temperature", "top_p"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise RequestError(name, f"expected a number, got {type(value).__name__}")
            high = 2.0 if name == "temperature" else 1.0
            if not 0.0 < value <= high:
                raise RequestError(name, f"{value}; expected a number in (0, {high:g}]")
            value = float(value)
        else:
            raise RequestError(name, f"unknown setting; expected {', '.join(SETTINGS)}")
        values[name] = value
    return Sampling(**values)


def parse_request(body, default: Sampling, limits: Limits) -> tuple:
    """``(situation, sampling)`` of one request: a JSON object holding a situation's fields and any settings."""
    if not isinstance(body, dict):
        return check_situation(body), default  # raises the "expected a JSON object" error
    settings = {k: v for k, v in body.items() if k in SETTINGS}
    situation = check_situation({k: v for k, v in body.items() if k not in SETTINGS}, limits.max_field_chars)
    return situation, check_sampling(settings, default, limits.max_new_tokens)


def serving_config(path: str) -> dict:
    """What the model was trained with: ``system_prompt``, ``max_source_length`` (prompt tokens) and
    ``max_target_length`` (response tokens).

    From ``teaching_prompt.json`` (an export of ``launch/export.py``), else from ``run_summary.json`` of the run
    whose ``final/`` this is, else the training defaults; ``source`` says which.
    """
    config = {"system_prompt": SYSTEM_PROMPT, "max_source_length": 256, "max_target_length": 128,
              "source": "defaults"}
    summary = os.path.join(os.path.dirname(os.path.abspath(path)), "run_summary.json")
    for file, key in ((os.path.join(path, SERVING_CONFIG), None), (summary, "config")):
        if os.path.isfile(file):
            with open(file, encoding="utf-8") as f:
                found = json.load(f)
            found = found.get(key, {}) if key else found
            config.update({k: found[k] for k in ("system_prompt", "max_source_length", "max_target_length")
                           if found.get(k) is not None}, source=file)
            break
    return config


class TeachingPromptGenerator:
    """A causal LM and its tokenizer, asked for teaching prompts in the format it was trained on.

    ``generate`` is batched (left-padded prompts, KV cache), greedy or sampled, stops each row at the end of its
    turn (the tokenizer's EOS) or at ``max_new_tokens``. Under greedy decoding a batch gives each situation the
    same teaching prompt as asking for it alone. Calls are serialised by a lock: one model, one batch at a time.
    """

    def __init__(self, model, tokenizer, system_prompt: str = SYSTEM_PROMPT, limits: Limits = Limits(),
                 default: Sampling = Sampling(), name: str = None):
        self.model, self.tokenizer = model.eval(), tokenizer
        self.system_prompt, self.limits, self.default = system_prompt, limits, default
        self.name = name
        self._lock = threading.Lock()

    @classmethod
    def from_pretrained(cls, path: str, dtype: str = "auto", device=None, system_prompt: str = None,
                        max_prompt_tokens: int = None, max_new_tokens: int = None,
                        max_field_chars: int = MAX_FIELD_CHARS):
        """Load ``path`` (see the module docstring) onto ``device`` (the GPU when there is one). Unset arguments come
        from ``serving_config(path)``; ``max_new_tokens`` is the default of a request, twice it the most one may ask."""
        config = serving_config(resolve_model_path(path))
        model = load_causal_lm(path, resolve_dtype(dtype), adapter="merge").to(device or inference_device())
        tokenizer = load_tokenizer(path, padding_side="left")
        default_new = max_new_tokens or config["max_target_length"]
        limits = Limits(max_field_chars=max_field_chars,
                        max_prompt_tokens=max_prompt_tokens or config["max_source_length"],
                        max_new_tokens=2 * default_new)
        return cls(model, tokenizer, config["system_prompt"] if system_prompt is None else system_prompt, limits,
                   Sampling(max_new_tokens=default_new), name=path)

    # --- requests -------------------------------------------------------------------------------------------------
    def parse(self, body) -> tuple:
        """``(prompt_ids, sampling)`` of a request body, or ``RequestError``."""
        situation, sampling = parse_request(body, self.default, self.limits)
        return self.prompt_ids(situation), sampling

    def prompt_ids(self, situation: dict) -> list:
        """Token ids of a checked situation in the chat template; ``RequestError`` past ``max_prompt_tokens``."""
        ids = prompt_ids(self.tokenizer, render_situation(situation), self.system_prompt)
        if len(ids) > self.limits.max_prompt_tokens:
            raise RequestError("body", f"the situation is {len(ids)} tokens in the chat template; the model takes at "
                                       f"most {self.limits.max_prompt_tokens} (shorten exercise or attempt)")
        return ids

    # --- generation -----------------------------------------------------------------------------------------------
    def generate(self, items: list, max_new_tokens: int = None, do_sample: bool = False, temperature: float = 1.0,
                 top_p: float = 1.0, seed: int = None) -> list:
        """A ``TeachingPrompt`` per situation of ``items`` (dicts: topic, exercise, attempt, level, and optionally
        knowledge_point, lang), in one batch. ``seed`` makes sampling repeatable (for this batch as composed)."""
        settings = {"do_sample": do_sample, "temperature": temperature, "top_p": top_p}
        if max_new_tokens is not None:
            settings["max_new_tokens"] = max_new_tokens
        sampling = check_sampling(settings, self.default, self.limits.max_new_tokens)
        prompts = []
        for i, item in enumerate(items):
            try:
                prompts.append(self.prompt_ids(check_situation(item, self.limits.max_field_chars)))
            except RequestError as e:
                raise RequestError(f"items[{i}]" + ("" if e.field == "body" else f".{e.field}"), e.message) from None
        return self.generate_ids(prompts, [sampling.max_new_tokens] * len(prompts), sampling, seed)

    @torch.no_grad()
    def generate_ids(self, prompts: list, max_new_tokens: list, sampling: Sampling, seed: int = None) -> list:
        """One batch of checked prompts (token ids), each row cut at its own ``max_new_tokens``. With ``seed``
        sampling draws from its own seeded stream, leaving every other caller's random numbers untouched."""
        if not prompts:
            return []
        tok, dev = self.tokenizer, next(self.model.parameters()).device
        ids = pad_sequences(prompts, tok.pad_token_id, side="left").to(dev)  # (B, P)
        mask = pad_sequences([[1] * len(p) for p in prompts], 0, side="left").to(dev)  # (B, P)
        own_stream = torch.random.fork_rng(devices=[dev] if dev.type == "cuda" else [], enabled=seed is not None)
        with self._lock, own_stream:
            if seed is not None:
                torch.manual_seed(seed)
            responses = generate(self.model, tok, ids, mask, max(max_new_tokens), do_sample=sampling.do_sample,
                                 temperature=sampling.temperature, top_p=sampling.top_p)
        # A row generated past its own limit (a longer batch-mate kept decoding) is cut back to it: under greedy
        # decoding its first tokens do not depend on how long the batch ran.
        return [self.teaching_prompt(r[:n]) for r, n in zip(responses, max_new_tokens)]

    def teaching_prompt(self, response: list) -> TeachingPrompt:
        """The answer of one generated response (token ids, cut after its stop token)."""
        [text] = decode_responses(self.tokenizer, [response])
        return TeachingPrompt(text, "stop" if ended(response, stop_token_ids(self.tokenizer)) else "length",
                              len(response), list(response))

    def continuous_batch(self) -> ContinuousBatch:
        """An empty decode that requests join and leave step by step (``easyds/batching.py``); the caller's thread
        must then be the only one using the model."""
        return ContinuousBatch(self.model, stop_token_ids(self.tokenizer), self.tokenizer.pad_token_id)

    def warm_up(self):
        """One short generation, so the first request does not pay for lazy initialisation."""
        situation = {"topic": "Stacks", "exercise": "Check balanced brackets.", "attempt": "never pops",
                     "level": "beginner"}
        self.generate_ids([self.prompt_ids(check_situation(situation))], [2], Sampling(max_new_tokens=2))
