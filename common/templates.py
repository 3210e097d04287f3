"""Prompt and response rendering, as in the seed design's InputOutputDataset.

``build_prompt`` renders the student's situation as a user turn with the tokenizer's chat template (Qwen2.5
ChatML: ``<|im_start|>user ... <|im_end|>`` then the open ``<|im_start|>assistant`` header), so the model is
trained and queried in exactly the format it will be served in. ``build_response`` closes the assistant turn
with the template's end-of-turn token, which is the EOS the generator stops at.
"""
from .config import DEFAULT_SYSTEM_PROMPT

FALLBACK_TEMPLATE = "{system}\n\nStudent situation:\n{prompt}\n\nTeaching prompt:\n"


def has_chat_template(tokenizer) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def build_prompt(tokenizer, prompt: str, system_prompt: str = DEFAULT_SYSTEM_PROMPT) -> str:
    """The text that precedes the response: system + user turn + the open assistant header."""
    if has_chat_template(tokenizer):
        messages = [{"role": "user", "content": prompt}]
        if system_prompt:
            messages.insert(0, {"role": "system", "content": system_prompt})
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return FALLBACK_TEMPLATE.format(system=system_prompt, prompt=prompt)


def end_of_turn(tokenizer) -> str:
    """The token that ends an assistant turn: the tokenizer's EOS (``<|im_end|>`` for Qwen2.5)."""
    return tokenizer.eos_token or ""


def build_response(tokenizer, response: str) -> str:
    """The response text followed by the end-of-turn token, so the model learns where to stop."""
    return response + end_of_turn(tokenizer)
