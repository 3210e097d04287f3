"""The training data order (common/trainer.py ``epoch_batches``): plain seeded shuffle, and length grouping."""
import random
from types import SimpleNamespace

import pytest
import torch

from common.trainer import Trainer


class Lengths:
    def __init__(self, lengths):
        self.lengths, self.source = lengths, "<lengths>"

    def __len__(self):
        return len(self.lengths)


def trainer(lengths, window, micro=2, accum=1, world_size=1, seed=42):
    args = SimpleNamespace(per_device_train_batch_size=micro, gradient_accumulation_steps=accum, max_steps=-1,
                           num_train_epochs=2, seed=seed, length_group_batches=window)
    return Trainer(None, None, Lengths(lengths), None, None, args, None, rank=0, world_size=world_size)


def padding(t, batches, micro):
    """Pad slots of the micro-batches of ``batches`` (each row padded to its micro-batch's longest)."""
    out = 0
    for b in batches:
        for s in range(0, len(b), micro):
            rows = [t.train_dataset.lengths[i] for i in b[s: s + micro]]
            out += len(rows) * max(rows) - sum(rows)
    return out


def test_plain_order_is_the_seeded_permutation_cut_into_batches():
    t = trainer([5, 1, 7, 3, 2, 8, 4, 6, 9], window=0)  # 9 items, batches of 2: 4 steps an epoch, one item left out
    for epoch in (0, 1):
        order = torch.randperm(9, generator=torch.Generator().manual_seed(42 + epoch)).tolist()
        assert t.epoch_batches(epoch) == [order[0:2], order[2:4], order[4:6], order[6:8]]
    assert [t.step_items(s) for s in range(4, 8)] == t.epoch_batches(1)


def test_length_grouping_sorts_within_windows_and_shuffles_the_batches():
    lengths = [5, 1, 7, 3, 2, 8, 4, 6, 9]
    t = trainer(lengths, window=2)  # windows of 2 batches = 4 items
    order = torch.randperm(9, generator=torch.Generator().manual_seed(42)).tolist()[:8]
    windows = [sorted(order[:4], key=lengths.__getitem__), sorted(order[4:], key=lengths.__getitem__)]
    expected = [windows[0][:2], windows[0][2:], windows[1][:2], windows[1][2:]]
    batches = t.epoch_batches(0)
    assert sorted(map(tuple, batches)) == sorted(map(tuple, expected))  # the same batches, in another order
    assert batches == t.epoch_batches(0) and batches != t.epoch_batches(1)  # a function of seed and epoch
    assert trainer(lengths, window=2, seed=7).epoch_batches(0) != batches


@pytest.mark.parametrize("accum,world_size", [(1, 1), (2, 1), (1, 2)])
def test_length_grouping_cuts_padding_and_keeps_the_items(accum, world_size):
    rng = random.Random(0)
    lengths = [rng.randint(20, 300) for _ in range(400)]
    plain, grouped = trainer(lengths, 0, 4, accum, world_size), trainer(lengths, 8, 4, accum, world_size)
    for epoch in (0, 1):
        a, b = plain.epoch_batches(epoch), grouped.epoch_batches(epoch)
        assert sorted(i for x in a for i in x) == sorted(i for x in b for i in x)  # the same items each epoch
        assert {len(x) for x in b} == {4 * accum * world_size}
        assert padding(grouped, b, 4) < 0.25 * padding(plain, a, 4)
