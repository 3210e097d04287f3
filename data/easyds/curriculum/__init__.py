"""The EasyDS curriculum: one module per topic, in teaching order."""
from . import (arrays, complexity, dynamic_programming, graphs, hashing, heaps, linked_lists, queues, recursion,
               searching, sorting, stacks, strings, trees)

TOPICS = (
    complexity.TOPIC,
    arrays.TOPIC,
    strings.TOPIC,
    linked_lists.TOPIC,
    stacks.TOPIC,
    queues.TOPIC,
    hashing.TOPIC,
    trees.TOPIC,
    heaps.TOPIC,
    graphs.TOPIC,
    sorting.TOPIC,
    searching.TOPIC,
    recursion.TOPIC,
    dynamic_programming.TOPIC,
)
