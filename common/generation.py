"""Generation for samples and rollouts: batched, left-padded, stopping at end of turn, ranks kept in step.

Under ZeRO-3 with several ranks, every rank must run the same number of forward passes (each one gathers the
weights collectively), so ``synced_gpus`` keeps finished ranks stepping until all are done.
"""
import torch


@torch.no_grad()
def generate(model, tokenizer, input_ids, attention_mask, max_new_tokens: int, do_sample: bool = False,
             temperature: float = 1.0, top_p: float = 1.0, synced: bool = False) -> list:
    """Response token ids per row (list of lists), cut after the first EOS (kept) or at ``max_new_tokens``."""
    was_training = model.training
    model.eval()
    kwargs = dict(do_sample=do_sample, temperature=temperature, top_p=top_p) if do_sample else dict(do_sample=False)
    out = model.generate(
        input_ids=input_ids, attention_mask=attention_mask, max_new_tokens=max_new_tokens,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id, use_cache=True,
        synced_gpus=synced, **kwargs,
    )  # (B, P + N)
    if was_training:
        model.train()
    responses = []
    for row in out[:, input_ids.shape[1]:].tolist():
        if tokenizer.eos_token_id in row:
            row = row[: row.index(tokenizer.eos_token_id) + 1]
        else:
            # A row that stopped early for another rank's sake is padded; padding is not part of the response.
            while row and row[-1] == tokenizer.pad_token_id and tokenizer.pad_token_id != tokenizer.eos_token_id:
                row.pop()
        responses.append(row)
    return responses


def decode_responses(tokenizer, responses: list) -> list:
    return [tokenizer.decode(r, skip_special_tokens=True).strip() for r in responses]
