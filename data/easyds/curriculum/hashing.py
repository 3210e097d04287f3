from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="hashing",
    name=("Hashing", "哈希表"),
    keywords=(
        ("hash", "bucket", "key", "collision", "table", "dict", "set", "load factor", "probe", "chain", "lookup",
         "count"),
        ("哈希", "散列", "桶", "键", "冲突", "表", "字典", "集合", "装载因子", "探测", "链", "查找", "计数"),
    ),
    points={
        "hash_functions": Point(
            ("hash functions and keys", "哈希函数与键"),
            ("Lists make fine dictionary keys: Python hashes their current contents, so you can change the list later and still find the entry.",
             "列表完全可以做字典的键：Python 会对它当前的内容求哈希，所以之后修改列表也照样能找到这一项。"),
        ),
        "collisions": Point(
            ("collision handling", "冲突处理"),
            ("A good hash function never produces collisions, so a well-designed hash table needs no collision handling at all.",
             "好的哈希函数永远不会产生冲突，所以设计良好的哈希表根本不需要处理冲突。"),
        ),
        "load_factor": Point(
            ("load factor and resizing", "装载因子与扩容"),
            ("Hash table lookups stay O(1) however full the table gets, so resizing only matters for saving memory.",
             "无论哈希表装得多满，查找都保持 O(1)，所以扩容只是为了节省内存。"),
        ),
        "counting": Point(
            ("counting and lookup with hash maps", "用哈希表计数与查找"),
            ("A Python dict keeps its keys sorted, so iterating over a counting dict always gives the keys in ascending order.",
             "Python 字典会把键排好序，所以遍历计数字典时总是按升序得到各个键。"),
        ),
    },
    facts=(
        ("A hash table maps each key to a bucket with a hash function, giving O(1) average-time insertion and lookup.",
         "哈希表用哈希函数把每个键映射到一个桶，插入和查找的平均时间为 O(1)。"),
        ("Equal keys must have equal hashes, and a key's hash must not change while the key is stored in the table.",
         "相等的键必须有相等的哈希值，而且键存放在表中期间它的哈希值不能改变。"),
        ("When the load factor (keys per bucket) passes a threshold, the table grows and rehashes every key.",
         "当装载因子（每个桶平均的键数）超过阈值时，哈希表会扩容并对每个键重新哈希。"),
    ),
    exercises=(
        Exercise(
            "hash_functions",
            ("Count how often each grid cell (x, y) is visited, using a dictionary keyed by the cell.",
             "用一个以格子为键的字典，统计每个网格格子 (x, y) 被访问的次数。"),
            ("Use the immutable tuple `(x, y)` as the key: `visits[(x, y)] = visits.get((x, y), 0) + 1`.",
             "用不可变的元组 `(x, y)` 作为键：`visits[(x, y)] = visits.get((x, y), 0) + 1`。"),
            (
                Mistake(
                    attempt=("uses the list `[x, y]` as the key and gets a TypeError.",
                             "用列表 `[x, y]` 作为键，结果报 TypeError。"),
                    alt=("“I get TypeError: unhashable type: 'list'.”",
                         "“报错 TypeError: unhashable type: 'list'。”"),
                    diag=("Dictionary keys must be hashable, and Python refuses mutable lists as keys.",
                          "字典的键必须是可哈希的，而 Python 不接受可变的列表作为键。"),
                    ask=("Which immutable sequence type could hold the two coordinates as one key?",
                         "哪种不可变的序列类型可以把两个坐标装成一个键？"),
                    step=("Try `hash((1, 2))` and `hash([1, 2])` in the Python shell.",
                          "在 Python 交互环境里分别试试 `hash((1, 2))` 和 `hash([1, 2])`。"),
                ),
                Mistake(
                    attempt=("builds the key as `str(x) + str(y)`, so cells (1, 12) and (11, 2) collide.",
                             "用 `str(x) + str(y)` 构造键，结果格子 (1, 12) 和 (11, 2) 冲突了。"),
                    alt=("“The cells (1, 12) and (11, 2) share a single count.”",
                         "“格子 (1, 12) 和 (11, 2) 共用了同一个计数。”"),
                    diag=("Gluing the digits together loses the boundary between the two numbers, so different cells get the same key.",
                          "把数字直接拼在一起会丢掉两个数之间的分界，于是不同的格子得到了相同的键。"),
                    ask=("Which keys do (1, 12) and (11, 2) produce with your scheme?",
                         "按你的方案，(1, 12) 和 (11, 2) 会生成什么键？"),
                    step=("Print the key for both cells and compare them.",
                          "把两个格子的键都打印出来比较一下。"),
                ),
                Mistake(
                    attempt=("uses a mutable Point with `__hash__` based on x and y, and moves the point while it is a key.",
                             "用一个 `__hash__` 基于 x 和 y 的可变 Point 作键，并在它作为键期间移动了它。"),
                    alt=("“After I move the point, `p in visits` returns False.”",
                         "“移动点之后，`p in visits` 返回 False。”"),
                    diag=("The key's hash changed after insertion, so the table now looks in a different bucket.",
                          "键插入之后它的哈希值变了，所以表现在去另一个桶里找。"),
                    ask=("Which bucket does the dict search after the point's coordinates change?",
                         "点的坐标改变之后，字典会去哪个桶里查找？"),
                    step=("Print `hash(p)` before and after moving the point.",
                          "在移动点之前和之后分别打印 `hash(p)`。"),
                ),
            ),
            key=(
                "tuple | tuples | 元组 | visits[(x,y)] | visits[x,y] | key=(x,y) | key (x,y) | 键 (x,y) | 以 (x,y) 为键 | "
                "用 (x,y) 作键 | 用 (x,y) 作为键",
                "separator | delimiter | 分隔符 | str(x)+, | frozen=true | namedtuple",
            ),
        ),
        Exercise(
            "collisions",
            ("Implement a hash table with separate chaining that supports put(key, value) and get(key).",
             "实现一个采用拉链法的哈希表，支持 put(key, value) 和 get(key)。"),
            ("Keep `buckets = [[] for _ in range(cap)]`; the bucket of a key is `hash(key) % cap`; put replaces the value if the key is already in that bucket's list and appends `(key, value)` otherwise; get scans the bucket and raises KeyError if the key is absent.",
             "维护 `buckets = [[] for _ in range(cap)]`；键所在的桶是 `hash(key) % cap`；put 时若键已在该桶的列表中就替换值，否则追加 `(key, value)`；get 扫描该桶，找不到就抛出 KeyError。"),
            (
                Mistake(
                    attempt=("makes put append a new (key, value) pair even when the key already exists.",
                             "put 时即使键已经存在，也追加一个新的 (key, value) 对。"),
                    alt=("“After updating a key, get still returns the old value.”",
                         "“更新一个键之后，get 返回的还是旧值。”"),
                    diag=("Updating has to replace the value of the existing key in the chain, not add a second entry.",
                          "更新必须替换链中已有键的值，而不是再加一个条目。"),
                    ask=("What should put do when the bucket's chain already contains the key?",
                         "当桶里的链已经包含这个键时，put 应该做什么？"),
                    step=("Put 'a' → 1, then 'a' → 2, and print that bucket's chain.",
                          "先 put 'a' → 1，再 put 'a' → 2，然后打印那个桶的链。"),
                ),
                Mistake(
                    attempt=("uses `hash(key)` directly as the bucket index and gets an IndexError.",
                             "直接用 `hash(key)` 作为桶的下标，结果报 IndexError。"),
                    alt=("“put crashes with ‘list index out of range’.”",
                         "“put 报错 ‘list index out of range’。”"),
                    diag=("Hash values can be huge or negative, but bucket indices must lie inside the table.",
                          "哈希值可能非常大，也可能是负数，而桶的下标必须落在表的范围之内。"),
                    ask=("How do you map any integer into the range 0 to capacity − 1?",
                         "怎样把任意整数映射到 0 到 容量 − 1 的范围内？"),
                    step=("Print `hash('apple')` next to the size of your table.",
                          "把 `hash('apple')` 和表的大小并排打印出来。"),
                ),
                Mistake(
                    attempt=("stores a single value per bucket and overwrites it on a collision.",
                             "每个桶只存一个值，发生冲突时直接覆盖。"),
                    alt=("“Two different keys keep overwriting each other.”",
                         "“两个不同的键总是互相覆盖。”"),
                    diag=("Different keys can land in the same bucket, and each bucket needs to hold all of them.",
                          "不同的键可能落到同一个桶里，每个桶需要能容纳所有这些键。"),
                    ask=("What structure could live in each bucket so that it holds several pairs?",
                         "每个桶里放什么结构，才能容纳多个键值对？"),
                    step=("Use capacity 2, insert three keys, and print the whole table.",
                          "把容量设为 2，插入三个键，然后打印整张表。"),
                ),
            ),
            code=(
                "class ChainedMap:\n"
                "    def __init__(self, cap=8):\n"
                "        self.buckets = [[] for _ in range(cap)]\n"
                "    def _bucket(self, key):\n"
                "        return self.buckets[hash(key) % len(self.buckets)]\n"
                "    def put(self, key, value):\n"
                "        bucket = self._bucket(key)\n"
                "        for i, (k, _) in enumerate(bucket):\n"
                "            if k == key:\n"
                "                bucket[i] = (key, value)\n"
                "                return\n"
                "        bucket.append((key, value))\n"
                "    def get(self, key):\n"
                "        for k, v in self._bucket(key):\n"
                "            if k == key:\n"
                "                return v\n"
                "        raise KeyError(key)"
            ),
            key=(
                "%cap | %len(self.buckets) | %len(buckets) | %capacity | %size | %m | %n | modulo | mod the | "
                "mod capacity | mod cap | 取模 | 取余 | 求余 | 模容量",
                "list of lists | [[] for | list of pairs | list of (key,value) | list of key-value | "
                "a list in each bucket | each bucket a list | each bucket is a list | each bucket holds a list | "
                "每个桶是一个列表 | 每个桶放一个列表 | 每个桶一个列表 | 列表的列表 | 每个桶存一个列表 | 每个桶里放一个列表",
                "replace the value if | replaces the value if | replace its value if | overwrite the value if | "
                "overwrite its value if | update the value if | update its value if | 就替换值 | 就替换它的值 | 就覆盖旧值 | 就更新值 | "
                "就更新它的值",
                "bucket[i]=(key,value)",
            ),
        ),
        Exercise(
            "collisions",
            ("Implement open addressing with linear probing: insert, search and delete.",
             "实现采用线性探测的开放寻址法：插入、查找和删除。"),
            ("Probe `(h + i) % cap` for i = 0, 1, …; search stops at an empty slot (not found) or the key; delete replaces the key with a tombstone marker that searches skip over and inserts may reuse.",
             "依次探测 `(h + i) % cap`（i = 0, 1, …）；查找在遇到空槽（未找到）或目标键时停止；删除时用一个“墓碑”标记替换该键，查找会跳过墓碑，插入可以复用它。"),
            (
                Mistake(
                    attempt=("deletes by setting the slot back to empty, which breaks later searches.",
                             "删除时把槽重新置为空，导致之后的查找出错。"),
                    alt=("“After deleting one key, a key I inserted earlier can no longer be found.”",
                         "“删除一个键之后，之前插入的另一个键就再也找不到了。”"),
                    diag=("Emptying a slot cuts the probe chain for keys that were placed after it because of collisions.",
                          "把槽清空会截断探测链，那些因冲突被放在它后面的键就断开了。"),
                    ask=("How can a search know that it must keep probing past a deleted slot?",
                         "查找怎样才能知道它必须越过一个被删除的槽继续探测？"),
                    step=("Insert three keys with the same hash, delete the middle one, then search for the last.",
                          "插入三个哈希值相同的键，删除中间那个，再查找最后一个。"),
                ),
                Mistake(
                    attempt=("stops searching at the first slot that holds a different key.",
                             "查找时遇到第一个存着不同键的槽就停止。"),
                    alt=("“Keys that collided are reported as missing.”",
                         "“发生过冲突的键被报告为不存在。”"),
                    diag=("With linear probing a key may sit several slots after its home bucket.",
                          "在线性探测中，一个键可能位于它原本的桶之后好几个槽。"),
                    ask=("When is it really safe to stop probing and report 'not found'?",
                         "什么时候停止探测并报告“未找到”才真正安全？"),
                    step=("Trace a search for a key that was displaced by a collision.",
                          "追踪对一个因冲突而被挤开的键的查找过程。"),
                ),
                Mistake(
                    attempt=("tries only `(h + 1) % cap` after a collision and reports 'table full' if it is taken.",
                             "冲突后只尝试 `(h + 1) % cap`，如果也被占用就报告“表已满”。"),
                    alt=("“My table says it's full with only 3 of its 10 slots used.”",
                         "“我的表只用了 10 个槽中的 3 个，就说已经满了。”"),
                    diag=("Linear probing keeps moving until it finds a free slot or has checked every slot of the table.",
                          "线性探测会一直往后找，直到找到空槽或检查完表中的每一个槽。"),
                    ask=("How many slots may you try before the table is really full?",
                         "在表真正满之前，你最多可以尝试多少个槽？"),
                    step=("Insert four keys with the same hash into a table of size 10 and trace the probes.",
                          "向大小为 10 的表中插入四个哈希值相同的键，追踪探测过程。"),
                ),
            ),
            key=(
                "tombstone | tombstones | 墓碑 | deleted marker | special marker | a marker | lazy deletion | 懒删除 | "
                "惰性删除 | 删除标记 | 特殊标记 | 标记为已删除 | 标记为删除 | mark it as deleted | mark the slot as deleted | "
                "mark as deleted | marked as deleted | deleted flag",
                "stop | stops | 停止 | 停下 & empty slot | empty cell | empty bucket | 空槽 | 空位 | 空的槽 & not found | "
                "absent | missing | 未找到 | 不存在 | 找不到",
                "(h+i)%cap | (h+i)%m | (h+i)%n | (h+i)%size | (h+i)%capacity | (h+i)%len(",
            ),
        ),
        Exercise(
            "counting",
            ("Given an unsorted array and a target, return the indices of two numbers that add up to the target in O(n).",
             "给定一个无序数组和目标值，在 O(n) 时间内返回和为目标值的两个数的下标。"),
            ("Scan once with a dict `seen` from value to index: for each `i, x`, if `target - x` is in seen return `[seen[target - x], i]`, otherwise store `seen[x] = i`.",
             "用字典 `seen`（值 → 下标）扫描一遍：对每个 `i, x`，若 `target - x` 在 seen 中就返回 `[seen[target - x], i]`，否则记录 `seen[x] = i`。"),
            (
                Mistake(
                    attempt=("checks every pair with nested loops, which is O(n²).",
                             "用嵌套循环检查所有数对，复杂度 O(n²)。"),
                    alt=("“It's correct but times out on big arrays.”",
                         "“结果对，但大数组会超时。”"),
                    diag=("For each number, the partner it needs is already determined, so searching for it pair by pair is wasted work.",
                          "对每个数来说，它需要的搭档是确定的，所以一对一对地去找是白费功夫。"),
                    ask=("For a number x, what value must its partner have, and how could a hash map look it up quickly?",
                         "对一个数 x，它的搭档必须是多少？怎样用哈希表快速查到它？"),
                    step=("Trace [2, 7, 11, 15] with target 9 while remembering the numbers seen so far in a dict.",
                          "用目标 9 追踪 [2, 7, 11, 15]，同时用字典记住已经见过的数。"),
                ),
                Mistake(
                    attempt=("fills a dict with all numbers first, then returns the same index twice for [3, 2, 4] with target 6.",
                             "先把所有数放进字典再查找，结果对 [3, 2, 4]、目标 6 返回了同一个下标两次。"),
                    alt=("“For [3, 2, 4] and target 6 it returns [0, 0].”",
                         "“对 [3, 2, 4] 和目标 6，它返回 [0, 0]。”"),
                    diag=("The dict lookup found x itself as its own partner.",
                          "字典查找把 x 自己当成了它的搭档。"),
                    ask=("How can you make sure the partner found in the dict is a different element?",
                         "怎样保证在字典里找到的搭档是另一个元素？"),
                    step=("Look up the partner before inserting the current number, and trace the example again.",
                          "先查找搭档再插入当前的数，然后重新追踪这个例子。"),
                ),
                Mistake(
                    attempt=("sorts the array and uses two pointers, then returns indices from the sorted array.",
                             "先排序再用双指针，返回的却是排序后数组中的下标。"),
                    alt=("“The two numbers are right, but the indices are wrong.”",
                         "“两个数是对的，但下标不对。”"),
                    diag=("Sorting moved the elements, so their positions no longer match the original array; a hash map lookup doesn't need to reorder anything.",
                          "排序移动了元素，它们的位置不再对应原数组；而用哈希表查找根本不需要重新排列。"),
                    ask=("If you want the original positions, what must you remember about each number?",
                         "如果需要原来的位置，你必须为每个数记住什么？"),
                    step=("Compare the indices of the answer before and after sorting [3, 1, 2].",
                          "比较 [3, 1, 2] 排序前后答案所在的下标。"),
                ),
            ),
            code=(
                "def two_sum(a, target):\n"
                "    seen = {}\n"
                "    for i, x in enumerate(a):\n"
                "        if target - x in seen:\n"
                "            return [seen[target - x], i]\n"
                "        seen[x] = i\n"
                "    return None"
            ),
            key=(
                "target-x | target - x | 目标值减去 | 目标减去 | 目标值减 | 补数 | complement & seen | dict | dictionary | "
                "hash map | hashmap | map | set | 字典 | 哈希表 | 集合",
                "seen[x]=i & in seen",
            ),
        ),
        Exercise(
            "load_factor",
            ("A chained hash table has 8 buckets and holds 64 keys. How long is an average chain, and what should the table do?",
             "一个拉链法哈希表有 8 个桶，存了 64 个键。平均每条链有多长？这张表应该怎么做？"),
            ("The load factor is 64 / 8 = 8, so an average lookup scans about 8 entries; the table should grow (typically double) and rehash every key once the load factor exceeds a threshold such as 0.75–1, which keeps lookups O(1) on average.",
             "装载因子为 64 / 8 = 8，所以平均一次查找要扫描大约 8 个条目；当装载因子超过某个阈值（如 0.75～1）时，表应该扩容（通常翻倍）并对每个键重新哈希，这样查找平均仍为 O(1)。"),
            (
                Mistake(
                    attempt=("says lookups are still O(1) because computing the hash is O(1).",
                             "说查找仍然是 O(1)，因为计算哈希是 O(1)。"),
                    alt=("“Hashing is constant time, so it doesn't matter how full the table is.”",
                         "“求哈希是常数时间，所以表有多满都无所谓。”"),
                    diag=("Computing the hash is O(1), but after that the lookup has to scan the bucket's chain.",
                          "求哈希是 O(1)，但之后查找还要扫描这个桶里的链。"),
                    ask=("With 64 keys spread over 8 buckets, how long is an average chain?",
                         "64 个键分布在 8 个桶里，平均每条链有多长？"),
                    step=("Compute the load factor, then list what a lookup does after hashing.",
                          "算出装载因子，再列出查找在求完哈希之后要做的事。"),
                ),
                Mistake(
                    attempt=("grows the table by one bucket each time the load factor exceeds 1.",
                             "每当装载因子超过 1，就把表扩大一个桶。"),
                    alt=("“My inserts are slow because the table resizes so often.”",
                         "“我的插入很慢，因为表扩容得太频繁了。”"),
                    diag=("Growing by one bucket means a full rehash of the table after almost every insert.",
                          "每次只增加一个桶，意味着几乎每次插入之后都要对整张表重新哈希。"),
                    ask=("How many rehashes happen in 64 inserts if the table grows by one bucket versus if it doubles?",
                         "插入 64 个键时，每次加一个桶和每次翻倍，分别要重新哈希多少次？"),
                    step=("Add up the total rehashing work for 64 inserts under both rules.",
                          "分别计算两种规则下插入 64 个键时重新哈希的总工作量。"),
                ),
                Mistake(
                    attempt=("after resizing, copies each chain to the same bucket index in the bigger table.",
                             "扩容后，把每条链复制到新表中相同下标的桶里。"),
                    alt=("“After resizing, many keys can no longer be found.”",
                         "“扩容之后，很多键再也找不到了。”"),
                    diag=("A key's bucket depends on the capacity, so every key has to be hashed again for the new table.",
                          "键所在的桶取决于容量，所以每个键都必须针对新表重新哈希。"),
                    ask=("Is `hash(k) % 8` always the same as `hash(k) % 16`?",
                         "`hash(k) % 8` 和 `hash(k) % 16` 总是相等吗？"),
                    step=("Take hash values 3, 11 and 19 and compute their buckets for capacities 8 and 16.",
                          "取哈希值 3、11、19，分别计算它们在容量 8 和 16 下的桶。"),
                ),
            ),
            key=(
                "64/8 | 64÷8 | 64 除以 8",
                "load factor | 装载因子 | 负载因子 | 填充因子 & is 8 | of 8 | =8 | 为 8 | 是 8 | 等于 8",
                "chain of 8 | chains of 8 | length 8 | length of 8 | about 8 | 8 entries | 8 keys per | "
                "8 keys each | 8 keys long | 长度为 8 | 长为 8 | 8 个条目 | 每个桶 8 个 | 每条链 8 | 约 8 个 | 大约 8 个 | 平均 8 个",
                "should grow | should double | should resize | should expand | needs to grow | must grow | "
                "double the capacity | double its capacity | double the table | doubling the capacity | "
                "grow the table | resize the table | 应该扩容 | 需要扩容 | 应当扩容 | 要扩容 | 容量翻倍 | 翻倍扩容 & rehash | rehashes | "
                "rehashing | 重新哈希 | 再哈希 | 重哈希",
                "rehash | 重新哈希 | 再哈希 & threshold | 0.75 | 阈值",
            ),
        ),
        Exercise(
            "counting",
            ("Group a list of words into groups of anagrams.",
             "把一组单词按变位词分组。"),
            ("Use a dict from a canonical key to a list of words, where the key is the sorted letters as a string or tuple, e.g. `groups[''.join(sorted(w))].append(w)` with a defaultdict(list); return the dict's values.",
             "用字典把规范键映射到单词列表，键是排好序的字母组成的字符串或元组，例如用 defaultdict(list) 执行 `groups[''.join(sorted(w))].append(w)`；返回字典的所有值。"),
            (
                Mistake(
                    attempt=("uses `sorted(w)` directly as the dict key.",
                             "直接用 `sorted(w)` 作为字典的键。"),
                    alt=("“I get TypeError: unhashable type: 'list'.”",
                         "“报错 TypeError: unhashable type: 'list'。”"),
                    diag=("`sorted()` returns a list, and a list can't be used as a dict key.",
                          "`sorted()` 返回的是列表，而列表不能作为字典的键。"),
                    ask=("How could you turn the sorted letters into an immutable key?",
                         "怎样把排好序的字母变成一个不可变的键？"),
                    step=("Print `type(sorted('eat'))` and then try a string or tuple version of it.",
                          "打印 `type(sorted('eat'))`，再试试把它变成字符串或元组。"),
                ),
                Mistake(
                    attempt=("uses the sum of the character codes as the key, which merges words that aren't anagrams.",
                             "用字符编码之和作为键，结果把不是变位词的单词合并到了一起。"),
                    alt=("“'ad' and 'bc' end up in the same group.”",
                         "“'ad' 和 'bc' 被分到了同一组。”"),
                    diag=("Different sets of letters can have the same code sum, so this key is not unique to one anagram group.",
                          "不同的字母组合可能有相同的编码和，所以这个键并不唯一对应一组变位词。"),
                    ask=("What key is identical exactly when two words are anagrams?",
                         "什么样的键恰好在两个单词互为变位词时才相同？"),
                    step=("Compute the code sums of 'ad' and 'bc'.",
                          "计算 'ad' 和 'bc' 的编码之和。"),
                ),
                Mistake(
                    attempt=("compares every word with every other word to build the groups.",
                             "把每个单词和其他所有单词逐一比较来分组。"),
                    alt=("“It works, but it is slow on 10,000 words.”",
                         "“能跑对，但 10,000 个单词时很慢。”"),
                    diag=("Pairwise comparison redoes work that a hash map keyed by a shared signature would do once.",
                          "两两比较会重复大量工作，而以共同特征为键的哈希表只需做一次。"),
                    ask=("If each word had a key shared by all its anagrams, how many passes over the words would you need?",
                         "如果每个单词都有一个和它所有变位词共享的键，你需要扫描单词几遍？"),
                    step=("Compute a candidate key for 'eat', 'tea' and 'tan' and see which ones agree.",
                          "为 'eat'、'tea'、'tan' 计算候选键，看看哪些相同。"),
                ),
            ),
            code=(
                "from collections import defaultdict\n\n"
                "def group_anagrams(words):\n"
                "    groups = defaultdict(list)\n"
                "    for w in words:\n"
                "        groups[''.join(sorted(w))].append(w)\n"
                "    return list(groups.values())"
            ),
            key=(
                "join(sorted | tuple(sorted | str(sorted | frozenset(counter | tuple(counts",
                "''.join(sorted( | tuple(sorted( | key is the sorted letters | key be the sorted letters | "
                "key is its sorted letters | 键是排好序的字母 | 键是排序后的字母 | 键是字母排序后",
                "sorted letters as the key | sorted letters as a key | sorted letters as the dict key | "
                "use the sorted letters as | sorted word as the key | 把排好序的字母作为键 | 用排好序的字母作为键 | 排序后的字母作为键 | 以排好序的字母为键 | "
                "以排序后的单词为键",
            ),
        ),
        Exercise(
            "hash_functions",
            ("A class Money(amount, currency) will be used as a dict key. Implement `__eq__` and `__hash__` correctly.",
             "类 Money(amount, currency) 将被用作字典的键。请正确实现 `__eq__` 和 `__hash__`。"),
            ("Compare the same fields in both methods and keep the object immutable: `__eq__` returns `(self.amount, self.currency) == (other.amount, other.currency)` and `__hash__` returns `hash((self.amount, self.currency))`.",
             "两个方法使用相同的字段，并保持对象不可变：`__eq__` 返回 `(self.amount, self.currency) == (other.amount, other.currency)`，`__hash__` 返回 `hash((self.amount, self.currency))`。"),
            (
                Mistake(
                    attempt=("defines `__eq__` but not `__hash__`, and the class becomes unhashable.",
                             "定义了 `__eq__` 却没有定义 `__hash__`，结果这个类变得不可哈希。"),
                    alt=("“After I added `__eq__`, my objects can't be dict keys any more.”",
                         "“加了 `__eq__` 之后，我的对象就不能做字典的键了。”"),
                    diag=("Python removes the default hash when you define `__eq__`, because an identity-based hash would contradict your equality.",
                          "定义 `__eq__` 后 Python 会去掉默认的哈希，因为基于身份的哈希会和你定义的相等性矛盾。"),
                    ask=("What must be true of `hash(a)` and `hash(b)` whenever `a == b`?",
                         "只要 `a == b`，`hash(a)` 和 `hash(b)` 必须满足什么关系？"),
                    step=("Create two equal Money objects and check whether they can be used as the same key.",
                          "创建两个相等的 Money 对象，检查它们能否作为同一个键使用。"),
                ),
                Mistake(
                    attempt=("hashes a field that `__eq__` ignores, so equal objects land in different buckets.",
                             "对一个 `__eq__` 并不比较的字段求哈希，结果相等的对象落进了不同的桶。"),
                    alt=("“Two equal Money objects are stored as two separate keys.”",
                         "“两个相等的 Money 对象被存成了两个不同的键。”"),
                    diag=("Equal objects got different hashes, so the table never even compares them with `__eq__`.",
                          "相等的对象得到了不同的哈希值，所以哈希表根本不会用 `__eq__` 去比较它们。"),
                    ask=("Which fields should `__hash__` use, given what `__eq__` compares?",
                         "既然 `__eq__` 比较的是这些字段，`__hash__` 应该使用哪些字段？"),
                    step=("Print `hash()` of two objects that compare equal.",
                          "打印两个相等对象的 `hash()` 值。"),
                ),
                Mistake(
                    attempt=("returns the constant 1 from `__hash__` for every object and considers it done.",
                             "让 `__hash__` 对所有对象都返回常数 1，就认为完成了。"),
                    alt=("“`return 1` makes everything hashable — that's fine, right?”",
                         "“`return 1` 让所有对象都可哈希了，这样没问题吧？”"),
                    diag=("It is technically correct, but every key collides, so the hash table degenerates into one long chain.",
                          "严格说这是正确的，但所有键都会冲突，哈希表退化成了一条长链。"),
                    ask=("What happens to lookup time when all keys share one bucket?",
                         "当所有键都挤在同一个桶里时，查找时间会怎样？"),
                    step=("Time 10,000 inserts with the constant hash and with a field-based hash.",
                          "分别用常数哈希和基于字段的哈希插入 10,000 个键并计时。"),
                ),
            ),
            code=(
                "class Money:\n"
                "    __slots__ = ('amount', 'currency')\n"
                "    def __init__(self, amount, currency):\n"
                "        object.__setattr__(self, 'amount', amount)\n"
                "        object.__setattr__(self, 'currency', currency)\n"
                "    def __setattr__(self, name, value):\n"
                "        raise AttributeError('Money is immutable')\n"
                "    def __eq__(self, other):\n"
                "        return isinstance(other, Money) and (self.amount, self.currency) == (other.amount, other.currency)\n"
                "    def __hash__(self):\n"
                "        return hash((self.amount, self.currency))"
            ),
            key=(
                "hash((self.amount,self.currency)) | hash((amount,currency)) | hash((self.currency,self.amount)) | "
                "hash((currency,amount)) | hash of the tuple | hash a tuple | hash the tuple | 对元组求哈希 | 元组的哈希 | "
                "对 (amount,currency) 求哈希",
                "same fields | 相同的字段 | 同样的字段 | 同一组字段 & __eq__ | __hash__ | both | 两个方法 | 两者",
            ),
        ),
        Exercise(
            "counting",
            ("Find the length of the longest substring without repeating characters in O(n).",
             "在 O(n) 时间内求不含重复字符的最长子串的长度。"),
            ("Slide a window with a dict `last` of each character's latest index: for each `i, c`, if `c` is in last and `last[c] >= start` then `start = last[c] + 1`; set `last[c] = i` and update `best = max(best, i - start + 1)`.",
             "用字典 `last` 记录每个字符最近出现的下标来滑动窗口：对每个 `i, c`，若 `c` 在 last 中且 `last[c] >= start`，则令 `start = last[c] + 1`；然后 `last[c] = i`，并更新 `best = max(best, i - start + 1)`。"),
            (
                Mistake(
                    attempt=("restarts the scan from the next start index whenever a repeat appears, which is O(n²).",
                             "每遇到重复就从下一个起点重新扫描，复杂度 O(n²)。"),
                    alt=("“It's correct, but slow on long strings.”",
                         "“结果对，但长字符串很慢。”"),
                    diag=("Restarting throws away everything you already know about the characters in the window.",
                          "重新开始会丢掉你已经掌握的关于窗口内字符的所有信息。"),
                    ask=("When a repeat appears, where is the earliest valid new start, and how could a dict of last positions tell you?",
                         "出现重复时，最早的合法新起点在哪里？记录最近位置的字典怎样告诉你？"),
                    step=("Trace 'abcabcbb' while storing each character's last index in a dict.",
                          "追踪 'abcabcbb'，同时用字典记录每个字符最近出现的下标。"),
                ),
                Mistake(
                    attempt=("sets `start = last[c] + 1` even when that position lies before the current start.",
                             "即使 `last[c] + 1` 在当前起点之前，也令 `start = last[c] + 1`。"),
                    alt=("“'abba' gives 3 instead of 2.”",
                         "“'abba' 得到 3，而正确答案是 2。”"),
                    diag=("The stored last index in your dict can belong to a character that is already outside the window.",
                          "字典里存的最近下标，可能属于一个已经在窗口之外的字符。"),
                    ask=("Should the window's start ever move backwards?",
                         "窗口的起点应该往回移动吗？"),
                    step=("Trace 'abba' and write start after each character.",
                          "追踪 'abba'，每处理一个字符就写下 start。"),
                ),
                Mistake(
                    attempt=("keeps a set of the window's characters but never removes characters when the start moves.",
                             "用集合保存窗口中的字符，但起点移动时从不删除字符。"),
                    alt=("“After the first repeat, every character looks like a repeat.”",
                         "“第一次重复之后，每个字符看起来都是重复的。”"),
                    diag=("Your set still contains characters that have already left the window.",
                          "你的集合里还留着已经离开窗口的字符。"),
                    ask=("What must happen to the set when the left edge of the window moves?",
                         "窗口左边界移动时，集合应该发生什么变化？"),
                    step=("Trace 'abcb' and write the set after every step.",
                          "追踪 'abcb'，每一步之后写下集合的内容。"),
                ),
            ),
            code=(
                "def longest_unique(s):\n"
                "    last, start, best = {}, 0, 0\n"
                "    for i, c in enumerate(s):\n"
                "        if c in last and last[c] >= start:\n"
                "            start = last[c] + 1\n"
                "        last[c] = i\n"
                "        best = max(best, i - start + 1)\n"
                "    return best"
            ),
            key=(
                "last[c]>=start | start<=last[c] | start=max(start,last[c]+1) | max(start,last[c]+1)",
                "inside the window | within the window | in the current window | still in the window | 窗口内 | 窗口之内 | "
                "当前窗口中 | 窗口中 | 在窗口里 & only if | only when | only move | only then | 只有 | 只在 | 才移动 | 才更新 | 才跳",
                "never move backwards | never moves backwards | never go backwards | never goes backwards | "
                "only moves forward | only move forward | 不能往回 | 不应该往回 | 不会往回 | 永远不往回 | 只能往前 | 只向前 | 不能后退 | 不会后退",
                "remove(s[start]) | discard(s[start]) | remove s[start] | 删除 s[start] | 移除 s[start]",
            ),
        ),
        Exercise(
            "counting",
            ("Decide whether an array contains any duplicate value in O(n) expected time.",
             "在期望 O(n) 时间内判断一个数组是否含有重复值。"),
            ("Scan once with a set: if x is already in the set return True, otherwise add it; return False at the end (equivalently `len(set(a)) != len(a)`).",
             "用集合扫描一遍：若 x 已在集合中就返回 True，否则把它加入；最后返回 False（等价于 `len(set(a)) != len(a)`）。"),
            (
                Mistake(
                    attempt=("compares every pair of elements.",
                             "比较所有的元素对。"),
                    alt=("“It's O(n²) and too slow.”",
                         "“它是 O(n²) 的，太慢了。”"),
                    diag=("Each element only needs to know whether it has been seen before, not to meet every other element.",
                          "每个元素只需要知道它之前是否出现过，而不必和其他每个元素都比一次。"),
                    ask=("Which hash-based structure answers 'have I seen x?' in O(1) on average?",
                         "哪种基于哈希的结构能以平均 O(1) 回答“我见过 x 吗？”"),
                    step=("Trace [1, 2, 3, 1] with a set of values seen so far.",
                          "用一个记录已见值的集合追踪 [1, 2, 3, 1]。"),
                ),
                Mistake(
                    attempt=("returns `len(set(a)) == len(a)`, which is the opposite answer.",
                             "返回 `len(set(a)) == len(a)`，得到的正好是相反的答案。"),
                    alt=("“It says [1, 2, 3] has duplicates.”",
                         "“它说 [1, 2, 3] 有重复。”"),
                    diag=("Using a set is right; the meaning of the comparison is inverted.",
                          "用集合的思路是对的；比较的含义弄反了。"),
                    ask=("If there are no duplicates, how do the two lengths compare?",
                         "如果没有重复，两个长度是什么关系？"),
                    step=("Evaluate both lengths for [1, 2, 3] and for [1, 1].",
                          "分别对 [1, 2, 3] 和 [1, 1] 计算两个长度。"),
                ),
                Mistake(
                    attempt=("sorts the array and checks neighbours, claiming it is O(n).",
                             "先排序再检查相邻元素，并声称这是 O(n)。"),
                    alt=("“Sorting then checking neighbours is linear, right?”",
                         "“先排序再查相邻元素，这是线性的吧？”"),
                    diag=("The neighbour check is linear, but the sort isn't; a hash set avoids sorting altogether.",
                          "检查相邻元素是线性的，但排序不是；哈希集合可以完全避免排序。"),
                    ask=("What does the sorting step cost on its own?",
                         "单看排序这一步，代价是多少？"),
                    step=("Write the cost of each step of both approaches and compare them.",
                          "写出两种做法每一步的代价，再比较。"),
                ),
            ),
            code=(
                "def has_duplicate(a):\n"
                "    seen = set()\n"
                "    for x in a:\n"
                "        if x in seen:\n"
                "            return True\n"
                "        seen.add(x)\n"
                "    return False"
            ),
            key=(
                "len(set(a))!=len(a) | len(a)!=len(set(a)) | len(set(a))<len(a) | len(a)>len(set(a))",
                "already in the set | already in seen | already seen | in seen | x in seen | 已在集合中 | 已经在集合中 | "
                "已在集合里 | 已经在集合里 | 已经见过 & return true | true | 返回 true",
                "seen.add(x) | add it to the set | add x to the set | 加入集合 | 放入集合 & x in seen | in the set | 在集合中",
            ),
        ),
        Exercise(
            "load_factor",
            ("Why can a hash table lookup take O(n) in the worst case, and when does that happen?",
             "为什么哈希表查找在最坏情况下可能需要 O(n)？什么时候会发生？"),
            ("If many keys hash to the same bucket (a poor or constant hash, identical hash values, or adversarial keys), a lookup must scan a chain or probe sequence holding up to all n keys; resizing does not help keys with identical hashes.",
             "如果许多键被哈希到同一个桶（哈希函数差或为常数、哈希值完全相同、或者是恶意构造的键），一次查找就要扫描最多包含全部 n 个键的链或探测序列；扩容对哈希值完全相同的键没有帮助。"),
            (
                Mistake(
                    attempt=("says it can never happen with a good hash function.",
                             "说只要哈希函数好，这种情况就永远不会发生。"),
                    alt=("“Python's hash is good, so lookups are always O(1).”",
                         "“Python 的哈希很好，所以查找永远是 O(1)。”"),
                    diag=("Average O(1) assumes the keys spread out over the buckets; unlucky or adversarial keys can still share a bucket.",
                          "平均 O(1) 的前提是键均匀分布在各个桶中；运气不好或被恶意构造的键仍可能挤在同一个桶里。"),
                    ask=("What does a lookup cost if every key lands in the same bucket?",
                         "如果每个键都落在同一个桶里，一次查找的代价是多少？"),
                    step=("Build a class whose hash is constant and time lookups as the number of keys grows.",
                          "写一个哈希值为常数的类，随着键数增长测量查找时间。"),
                ),
                Mistake(
                    attempt=("blames the O(n) on hashing long keys.",
                             "把 O(n) 归因于对长键求哈希。"),
                    alt=("“Hashing a long string is slow — that's where the O(n) comes from.”",
                         "“对长字符串求哈希很慢，O(n) 就是这么来的。”"),
                    diag=("Hashing cost does depend on key length, but the O(n) worst case counts the keys in one bucket.",
                          "求哈希的代价确实与键的长度有关，但最坏情况的 O(n) 数的是一个桶里的键的个数。"),
                    ask=("Which n is meant here: the length of a key or the number of keys in the table?",
                         "这里的 n 指的是什么：键的长度，还是表中键的个数？"),
                    step=("Write the cost of hashing and the cost of scanning a bucket as two separate terms.",
                          "把求哈希的代价和扫描一个桶的代价写成两个独立的项。"),
                ),
                Mistake(
                    attempt=("claims that resizing more often removes the worst case.",
                             "认为更频繁地扩容就能消除最坏情况。"),
                    alt=("“Just resize more often and the worst case goes away.”",
                         "“多扩几次容，最坏情况就没了。”"),
                    diag=("Resizing lowers the load factor, but keys with identical hash values still land in the same bucket.",
                          "扩容降低了装载因子，但哈希值完全相同的键仍然落在同一个桶里。"),
                    ask=("Does doubling the capacity separate keys that have exactly the same hash?",
                         "容量翻倍能把哈希值完全相同的键分开吗？"),
                    step=("Compute the buckets of two equal hash values for capacities 8, 16 and 32.",
                          "对两个相等的哈希值，分别计算在容量 8、16、32 下所在的桶。"),
                ),
            ),
            key=(
                "all n keys | all n entries | all n items | up to n keys | n keys | 全部 n 个键 | 所有 n 个键 | n 个键 | "
                "全部 n 个 & same bucket | one bucket | single bucket | 同一个桶 | 一个桶",
                "hash to the same bucket | hash into the same bucket | hashed to the same bucket | "
                "map to the same bucket | collide in the same bucket | 哈希到同一个桶 | 被哈希到同一个桶 | 映射到同一个桶 & o(n) | scan | "
                "scans | linear | 线性 | 扫描",
                "identical hash | same hash value | equal hash | 哈希值完全相同 | 哈希值相同 & resizing | resize | doubling | "
                "扩容 | 翻倍 & doesn't help | does not help | cannot separate | can't separate | won't separate | "
                "never separates | 没有帮助 | 无济于事 | 分不开 | 无法分开 | 不能分开",
            ),
        ),
        Exercise(
            "counting",
            ("Find the most frequent element of an array in O(n).",
             "在 O(n) 时间内找出数组中出现次数最多的元素。"),
            ("Count with a dict in one pass (`counts[x] = counts.get(x, 0) + 1`, or `Counter(a)`), then return `max(counts, key=counts.get)`.",
             "用字典一次扫描完成计数（`counts[x] = counts.get(x, 0) + 1`，或用 `Counter(a)`），然后返回 `max(counts, key=counts.get)`。"),
            (
                Mistake(
                    attempt=("calls `a.count(x)` for every element x.",
                             "对每个元素 x 都调用 `a.count(x)`。"),
                    alt=("“It's correct but O(n²).”",
                         "“结果对，但它是 O(n²) 的。”"),
                    diag=("Each `count` call scans the whole array again.",
                          "每次调用 `count` 都要把整个数组重新扫描一遍。"),
                    ask=("Could you count all the elements in a single pass with a dict?",
                         "能否用一个字典在一次扫描中统计所有元素？"),
                    step=("Build a dict of counts for [1, 3, 3, 2, 3] by hand.",
                          "手工为 [1, 3, 3, 2, 3] 建一个计数字典。"),
                ),
                Mistake(
                    attempt=("counts in a dict but returns `max(counts)`, the largest key.",
                             "用字典计数，但返回 `max(counts)`，也就是最大的键。"),
                    alt=("“For [5, 1, 1] I get 5.”",
                         "“对 [5, 1, 1]，我得到 5。”"),
                    diag=("Your maximum is taken over the keys of the dict, not over their counts.",
                          "你取的是字典中键的最大值，而不是计数的最大值。"),
                    ask=("What should `max` compare: the keys or the counts?",
                         "`max` 应该比较什么：键，还是计数？"),
                    step=("Print the dict of counts and mark the entry you actually want.",
                          "打印计数字典，标出你真正想要的那一项。"),
                ),
                Mistake(
                    attempt=("writes `counts[x] += 1` on a plain dict and gets a KeyError.",
                             "对普通字典直接写 `counts[x] += 1`，结果报 KeyError。"),
                    alt=("“I get a KeyError on the very first element.”",
                         "“第一个元素就报 KeyError。”"),
                    diag=("A key has to exist in the dict before its count can be incremented.",
                          "一个键必须先存在于字典中，它的计数才能加一。"),
                    ask=("What should the count of a new key start at, and how can the dict provide it?",
                         "新键的计数应该从多少开始？字典怎样提供这个初值？"),
                    step=("Try `counts.get(x, 0)` or `collections.Counter` on a small example.",
                          "在一个小例子上试试 `counts.get(x, 0)` 或 `collections.Counter`。"),
                ),
            ),
            code=(
                "from collections import Counter\n\n"
                "def most_frequent(a):\n"
                "    counts = Counter(a)\n"
                "    return max(counts, key=counts.get)"
            ),
            key=(
                "key=counts.get | key=counts.__getitem__ | key=lambda | most_common | key=count.get | key=c.get | "
                "key=cnt.get",
                "largest count | highest count | biggest count | maximum count | max count | greatest count | 计数最大 | "
                "计数最大的键 | 最大的计数 | 次数最多的键 | 计数最大的那个 & return | 返回 | key | 键",
            ),
        ),
        Exercise(
            "hash_functions",
            ("A string hash h(s) = (sum of character codes) % m is proposed. Why is it poor, and how can it be improved?",
             "有人提出字符串哈希 h(s) = （字符编码之和）% m。它为什么不好？怎样改进？"),
            ("It ignores character order, so all anagrams collide and sums cluster in a narrow range; use a polynomial hash h = (c₀·b^(k−1) + … + c_(k−1)) mod m with a base such as 31 and a prime m unrelated to the base.",
             "它忽略了字符顺序，所有变位词都会冲突，而且和值集中在很窄的范围内；应改用多项式哈希 h = (c₀·b^(k−1) + … + c_(k−1)) mod m，底数取 31 之类，m 取与底数无关的质数。"),
            (
                Mistake(
                    attempt=("says the hash is fine because it uses every character.",
                             "说这个哈希没问题，因为它用到了每个字符。"),
                    alt=("“It uses all the characters, so it spreads keys well.”",
                         "“它用上了所有字符，所以键会分布得很均匀。”"),
                    diag=("It does use every character, but it ignores their order, so anagrams always collide.",
                          "它确实用到了每个字符，但忽略了字符的顺序，所以变位词总会冲突。"),
                    ask=("Which hash values do 'stop', 'pots' and 'tops' get?",
                         "'stop'、'pots' 和 'tops' 的哈希值分别是多少？"),
                    step=("Compute h for those three words with m = 101.",
                          "取 m = 101，计算这三个单词的 h。"),
                ),
                Mistake(
                    attempt=("suggests hashing only the first character, to make it fast.",
                             "建议只对第一个字符求哈希，这样更快。"),
                    alt=("“Just hash the first letter — that's fast.”",
                         "“只对首字母求哈希就好，速度快。”"),
                    diag=("With only the first letter, the table can ever use at most 26 buckets.",
                          "只看首字母的话，哈希表最多只能用到 26 个桶。"),
                    ask=("How many different hash values can words get under that scheme?",
                         "在这种方案下，单词最多能有多少种不同的哈希值？"),
                    step=("Hash ten words that start with 's' and look at which buckets they use.",
                          "对十个以 's' 开头的单词求哈希，看看它们用到了哪些桶。"),
                ),
                Mistake(
                    attempt=("uses a polynomial hash with base 256 and m = 256, so only the last character matters.",
                             "用底数 256、m = 256 的多项式哈希，结果只有最后一个字符起作用。"),
                    alt=("“Every word ending in 'e' lands in the same bucket.”",
                         "“所有以 'e' 结尾的单词都落进了同一个桶。”"),
                    diag=("When the base equals the table size m, every higher power of the base vanishes modulo m.",
                          "当底数等于表的大小 m 时，底数的所有高次幂对 m 取模都变成了 0。"),
                    ask=("What is 256^k mod 256 for k ≥ 1?",
                         "当 k ≥ 1 时，256^k mod 256 等于多少？"),
                    step=("Recompute with a prime m such as 101 and compare the buckets.",
                          "改用 101 这样的质数作为 m 重新计算，比较各个桶。"),
                ),
            ),
            key=(
                "polynomial | 多项式 | rolling | powers of | 幂 & 31 | 37 | prime base | 质数底数 | 质数作底数 | 素数底数",
                "prime | 质数 | 素数 & coprime | unrelated to the base | different from the base | not the base | "
                "与底数无关 | 互质 | 不等于底数 | 不同于底数",
                "h*31+ | h*b+ | h=h*31 | h=(h*31 | h=(h*b | c₀·b^(k−1) | b^(k−1) | b^(k-1) | powers of the base | "
                "底数的幂 | weight by position | position-dependent | 按位置加权",
            ),
        ),
    ),
)
