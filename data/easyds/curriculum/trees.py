from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="trees",
    name=("Trees and BSTs", "树与二叉搜索树"),
    keywords=(
        ("tree", "node", "BST", "subtree", "root", "leaf", "child", "traversal", "inorder", "preorder", "postorder",
         "height", "ancestor", "key", "successor"),
        ("树", "结点", "子树", "根", "叶", "孩子", "遍历", "中序", "先序", "后序", "高度", "祖先", "键", "后继",
         "二叉搜索树"),
    ),
    points={
        "traversal": Point(
            ("tree traversals and recursion on trees", "树的遍历与树上的递归"),
            ("Inorder traversal visits the root first, then the left subtree, then the right subtree.",
             "中序遍历先访问根，再访问左子树，最后访问右子树。"),
        ),
        "bst_property": Point(
            ("the BST property", "二叉搜索树性质"),
            ("A binary tree is a BST as soon as every node's left child is smaller and its right child is larger than the node itself.",
             "只要每个结点的左孩子比它小、右孩子比它大，这棵二叉树就是二叉搜索树。"),
        ),
        "bst_ops": Point(
            ("searching, inserting and deleting in a BST", "二叉搜索树的查找、插入与删除"),
            ("Search in any BST takes O(log n) time, whatever order the keys were inserted in.",
             "在任何二叉搜索树中查找都是 O(log n)，与键的插入顺序无关。"),
        ),
        "height": Point(
            ("height and balance", "高度与平衡"),
            ("The height of a tree is the number of nodes it contains, so every tree with 7 nodes has the same height.",
             "树的高度就是它包含的结点数，所以所有含 7 个结点的树高度都相同。"),
        ),
    },
    facts=(
        ("In a BST every key in a node's left subtree is smaller, and every key in its right subtree larger, than the node's key.",
         "在二叉搜索树中，结点左子树里的每个键都比它小，右子树里的每个键都比它大。"),
        ("Inorder traversal of a BST visits the keys in ascending order.",
         "对二叉搜索树做中序遍历，会按升序访问各个键。"),
        ("BST operations cost O(h): h is O(log n) for a balanced tree but can reach n − 1 when keys arrive in sorted order.",
         "二叉搜索树操作的代价是 O(h)：平衡时 h 为 O(log n)，但键按有序顺序插入时 h 可达 n − 1。"),
    ),
    exercises=(
        Exercise(
            "traversal",
            ("The tree has root 4; 4's children are 2 and 6; 2's children are 1 and 3; 6's children are 5 and 7. Write its preorder, inorder and postorder.",
             "一棵树的根是 4；4 的孩子是 2 和 6；2 的孩子是 1 和 3；6 的孩子是 5 和 7。写出它的先序、中序和后序遍历。"),
            ("Preorder (root, left, right): 4 2 1 3 6 5 7; inorder (left, root, right): 1 2 3 4 5 6 7; postorder (left, right, root): 1 3 2 5 7 6 4.",
             "先序（根、左、右）：4 2 1 3 6 5 7；中序（左、根、右）：1 2 3 4 5 6 7；后序（左、右、根）：1 3 2 5 7 6 4。"),
            (
                Mistake(
                    attempt=("gives 4 2 6 1 3 5 7 as the preorder.",
                             "把先序遍历写成 4 2 6 1 3 5 7。"),
                    alt=("“Preorder is 4, 2, 6, 1, 3, 5, 7 — it goes level by level.”",
                         "“先序是 4、2、6、1、3、5、7，一层一层地走。”"),
                    diag=("That is level order; preorder finishes the whole left subtree before it moves to the right one.",
                          "那是层序遍历；先序遍历要先把整棵左子树走完，才会转向右子树。"),
                    ask=("After visiting 2, does preorder go to 6 next, or into 2's children first?",
                         "访问完 2 之后，先序遍历接下来去 6，还是先进入 2 的孩子？"),
                    step=("Write the rule 'root, left, right' and apply it to the subtree rooted at 2 on its own.",
                          "写下“根、左、右”这条规则，单独把它用在以 2 为根的子树上。"),
                ),
                Mistake(
                    attempt=("writes the postorder as the preorder reversed: 7 5 6 3 1 2 4.",
                             "把后序遍历写成先序遍历的逆序：7 5 6 3 1 2 4。"),
                    alt=("“Postorder is just preorder backwards, right?”",
                         "“后序就是先序倒过来，对吧？”"),
                    diag=("Reversing preorder gives 'right, left, root' order, which is not the same as 'left, right, root'.",
                          "把先序倒过来得到的是“右、左、根”的顺序，这和“左、右、根”不一样。"),
                    ask=("In postorder, which node must come right after 1 and 3?",
                         "在后序遍历中，紧跟在 1 和 3 后面的必须是哪个结点？"),
                    step=("Apply 'left, right, root' to the subtree rooted at 2 first, then to the whole tree.",
                          "先对以 2 为根的子树应用“左、右、根”，再对整棵树应用。"),
                ),
                Mistake(
                    attempt=("lists the inorder as 4 1 2 3 5 6 7, starting from the root.",
                             "把中序遍历写成 4 1 2 3 5 6 7，从根开始。"),
                    alt=("“Inorder starts at the root and then goes in order.”",
                         "“中序遍历从根开始，然后按顺序走。”"),
                    diag=("Inorder visits the root between its two subtrees, not first.",
                          "中序遍历是在两棵子树之间访问根，而不是最先访问。"),
                    ask=("Where does the root appear in the inorder sequence relative to its left subtree?",
                         "在中序序列中，根相对于它的左子树出现在什么位置？"),
                    step=("Do the inorder of the subtree rooted at 2 on its own first.",
                          "先单独写出以 2 为根的子树的中序遍历。"),
                ),
            ),
            key=(
                "4 2 1 3 6 5 7 | 4,2,1,3,6,5,7 | 4、2、1、3、6、5、7 | 4213657 | 4->2->1->3->6->5->7 | "
                "4 → 2 → 1 → 3 → 6 → 5 → 7",
                "1 3 2 5 7 6 4 | 1,3,2,5,7,6,4 | 1、3、2、5、7、6、4 | 1325764 | 1->3->2->5->7->6->4 | "
                "1 → 3 → 2 → 5 → 7 → 6 → 4",
                "1 2 3 4 5 6 7 | 1,2,3,4,5,6,7 | 1、2、3、4、5、6、7 | 1->2->3->4->5->6->7 | 1 → 2 → 3 → 4 → 5 → 6 → 7",
            ),
        ),
        Exercise(
            "bst_property",
            ("Check whether a binary tree with distinct integer keys is a valid BST.",
             "判断一棵键互不相同的整数二叉树是否为合法的二叉搜索树。"),
            ("Recurse with bounds: `valid(node, lo, hi)` is True for None, False if not `lo < node.key < hi`, and otherwise `valid(node.left, lo, node.key) and valid(node.right, node.key, hi)`, starting with lo = −∞ and hi = +∞.",
             "带上下界递归：`valid(node, lo, hi)` 对 None 返回 True；若不满足 `lo < node.key < hi` 返回 False；否则返回 `valid(node.left, lo, node.key) and valid(node.right, node.key, hi)`，初始 lo = −∞、hi = +∞。"),
            (
                Mistake(
                    attempt=("only checks that each node's left child is smaller and its right child is larger.",
                             "只检查每个结点的左孩子比它小、右孩子比它大。"),
                    alt=("“My check accepts a tree where a node deep in the left subtree is bigger than the root.”",
                         "“我的检查接受了一棵树，它左子树深处有个结点比根还大。”"),
                    diag=("The BST property constrains whole subtrees, not just a node's direct children.",
                          "二叉搜索树性质约束的是整棵子树，而不只是结点的直接孩子。"),
                    ask=("Must every key in the root's left subtree be smaller than the root, or only the root's left child?",
                         "是根的左子树中的每个键都必须小于根，还是只有根的左孩子需要？"),
                    step=("Draw root 5 with left child 3, give 3 the right child 6, and run your check on it.",
                          "画出根为 5、左孩子为 3 的树，再给 3 加一个右孩子 6，用你的检查试一试。"),
                ),
                Mistake(
                    attempt=("checks that the inorder sequence is sorted but uses `<=`, so duplicate keys pass.",
                             "检查中序序列是否有序，但用的是 `<=`，结果重复键也能通过。"),
                    alt=("“A tree with two nodes that both hold 5 passes my BST check.”",
                         "“一棵有两个结点都存 5 的树通过了我的二叉搜索树检查。”"),
                    diag=("Your sortedness test accepts equal neighbours, but this BST requires strictly increasing keys.",
                          "你的有序性检查接受了相等的相邻元素，而这里的二叉搜索树要求键严格递增。"),
                    ask=("Should the inorder sequence be strictly increasing or just non-decreasing here?",
                         "这里的中序序列应该严格递增，还是只需不减？"),
                    step=("Test a tree with a duplicate key and look closely at the comparison.",
                          "用一棵含重复键的树测试，仔细检查比较运算。"),
                ),
                Mistake(
                    attempt=("passes bounds down the tree but starts them at 0 and 1000 instead of −∞ and +∞.",
                             "把上下界一路传下去，但初始值用的是 0 和 1000，而不是 −∞ 和 +∞。"),
                    alt=("“A BST that contains the key −5 is rejected.”",
                         "“一棵含有键 −5 的二叉搜索树被拒绝了。”"),
                    diag=("Your starting bounds themselves exclude valid keys before any node of the tree is compared.",
                          "在比较树中任何结点之前，你的初始上下界就已经把合法的键排除在外了。"),
                    ask=("Which bounds should the root start with so that no key is excluded?",
                         "根结点应该从什么上下界开始，才不会排除任何键？"),
                    step=("Test a tree with a negative key and a very large key.",
                          "用一棵含负数键和很大键的树测试。"),
                ),
            ),
            code=(
                "def is_bst(node, lo=float('-inf'), hi=float('inf')):\n"
                "    if node is None:\n"
                "        return True\n"
                "    if not lo < node.key < hi:\n"
                "        return False\n"
                "    return is_bst(node.left, lo, node.key) and is_bst(node.right, node.key, hi)"
            ),
            key=(
                "node.left,lo,node.key | node.right,node.key,hi | (left,lo,node.key) | (right,node.key,hi) | "
                "(node.left,lo,node.val) | (node.right,node.val,hi)",
                "upper bound | max bound | 上界 | 上限 & left | 左 & lower bound | min bound | 下界 | 下限 & right | 右",
            ),
        ),
        Exercise(
            "bst_ops",
            ("Write a recursive function that inserts a key into a BST and returns the (possibly new) root.",
             "写一个递归函数，把一个键插入二叉搜索树，并返回（可能是新的）根。"),
            ("If the node is None return a new node; if the key is smaller set `node.left = insert(node.left, key)`, if larger set `node.right = insert(node.right, key)`; if equal do nothing; always return node.",
             "若结点为 None 就返回新结点；若键更小则 `node.left = insert(node.left, key)`，若更大则 `node.right = insert(node.right, key)`；相等时不做任何事；最后总是返回 node。"),
            (
                Mistake(
                    attempt=("creates the new node in the recursion but never attaches it to its parent.",
                             "在递归中创建了新结点，却从未把它接到父结点上。"),
                    alt=("“The insertion returns, but the tree doesn't change.”",
                         "“插入函数返回了，但树没有任何变化。”"),
                    diag=("The new node is created, but no parent's child link is ever set to it.",
                          "新结点已经创建出来了，但没有哪个父结点的孩子指针被设置为它。"),
                    ask=("What does the recursive call return, and who stores that return value?",
                         "递归调用返回了什么？谁把这个返回值存起来了？"),
                    step=("Trace inserting 4 into a tree with root 5 and look at root.left afterwards.",
                          "追踪把 4 插入根为 5 的树的过程，然后看看 root.left。"),
                ),
                Mistake(
                    attempt=("goes to the right subtree when the key is smaller.",
                             "键更小时反而走向右子树。"),
                    alt=("“The inorder traversal of my tree isn't sorted after a few inserts.”",
                         "“插入几次之后，我的树的中序遍历不是有序的。”"),
                    diag=("Your comparison sends keys to the wrong side of the node, which breaks the BST property.",
                          "你的比较把键送到了结点错误的一侧，破坏了二叉搜索树的性质。"),
                    ask=("Which side of a node should hold the keys smaller than it?",
                         "比结点小的键应该放在结点的哪一侧？"),
                    step=("Insert 5, 3, 8 and draw the tree your code builds.",
                          "依次插入 5、3、8，画出你的代码构造的树。"),
                ),
                Mistake(
                    attempt=("handles smaller and larger keys, but an equal key falls through and the function returns None.",
                             "处理了更小和更大的键，但相等的键会落空，函数返回 None。"),
                    alt=("“After inserting a key that's already there, part of my tree disappears.”",
                         "“插入一个已经存在的键之后，我的树少了一部分。”"),
                    diag=("When the key is equal, the function returns nothing, and the parent stores that None as its child.",
                          "键相等时函数什么也不返回，父结点就把这个 None 存成了自己的孩子。"),
                    ask=("What should insert return when the key is already in the tree?",
                         "当键已经在树中时，insert 应该返回什么？"),
                    step=("Insert 3 into the tree 5 (3, 8) and print the tree afterwards.",
                          "把 3 插入树 5 (3, 8)，然后打印这棵树。"),
                ),
            ),
            code=(
                "def insert(node, key):\n"
                "    if node is None:\n"
                "        return Node(key)\n"
                "    if key < node.key:\n"
                "        node.left = insert(node.left, key)\n"
                "    elif key > node.key:\n"
                "        node.right = insert(node.right, key)\n"
                "    return node"
            ),
            key=(
                "node.left=insert(node.left,key) | node.right=insert(node.right,key) | node.left=insert( | "
                "node.right=insert( | root.left=insert( | root.right=insert(",
                "return node & always | every case | in all cases | at the end | 总是 | 最后 | 末尾 | 始终",
                "返回 node | 返回该结点 | 返回结点本身 | 返回当前结点 | 返回这个结点 & 总是 | 最后 | 末尾 | 始终 | 都要",
                "assign the result | assign the returned | store the result | store the returned | "
                "set node.left to the | set the child to the result | 把返回值赋给 | 返回值赋给 | 把结果赋给 | 赋值给 node.left | "
                "用返回值更新 | 把返回值存到",
            ),
        ),
        Exercise(
            "bst_ops",
            ("Delete a node that has two children from a BST.",
             "从二叉搜索树中删除一个有两个孩子的结点。"),
            ("Find the inorder successor (the leftmost node of the right subtree), copy its key into the node, then delete the successor from the right subtree (it has at most a right child, so it is spliced out directly).",
             "找到中序后继（右子树中最左的结点），把它的键复制到该结点，然后从右子树中删除这个后继（它最多只有右孩子，可以直接接走）。"),
            (
                Mistake(
                    attempt=("replaces the node with its left child and loses the node's right subtree.",
                             "用左孩子替换该结点，结果丢掉了它的右子树。"),
                    alt=("“After deleting the root, the right half of my tree vanished.”",
                         "“删除根之后，我的树的右半边不见了。”"),
                    diag=("The left child can move up, but the right subtree also has to be kept, in BST order.",
                          "左孩子可以上移，但右子树也必须按二叉搜索树的顺序保留下来。"),
                    ask=("Which key could replace the deleted one while keeping every left key smaller and every right key larger?",
                         "哪个键可以替换被删除的键，同时保证左边的键都更小、右边的键都更大？"),
                    step=("Delete 5 from the tree 5 (3, 8 (7, 9)) on paper.",
                          "在纸上从树 5 (3, 8 (7, 9)) 中删除 5。"),
                ),
                Mistake(
                    attempt=("copies the inorder successor's key into the node but forgets to delete the successor.",
                             "把中序后继的键复制到该结点，却忘了删除那个后继结点。"),
                    alt=("“After deleting 5, the key 7 appears twice in my tree.”",
                         "“删除 5 之后，键 7 在我的树里出现了两次。”"),
                    diag=("The successor's key moved up, but the successor's original node is still in the right subtree.",
                          "后继的键已经上移，但后继原来的结点还留在右子树里。"),
                    ask=("What must happen to the successor's old node?",
                         "后继原来的那个结点应该怎么处理？"),
                    step=("Trace the delete and count the nodes before and after.",
                          "追踪删除过程，数一数删除前后的结点数。"),
                ),
                Mistake(
                    attempt=("uses the largest key of the right subtree as the replacement.",
                             "用右子树中最大的键作为替换。"),
                    alt=("“After the delete, my tree is no longer a BST.”",
                         "“删除之后，我的树不再是二叉搜索树了。”"),
                    diag=("The largest key on the right is bigger than other keys that would end up in its right subtree.",
                          "右边最大的键比那些最终会落在它右子树中的其他键还大。"),
                    ask=("Which key in the right subtree is the smallest, and why is that one safe to move up?",
                         "右子树中哪个键最小？为什么把它移上来是安全的？"),
                    step=("Try both replacements on 5 (3, 8 (7, 9)) and check the BST property after each.",
                          "在 5 (3, 8 (7, 9)) 上分别尝试两种替换，每次都检查二叉搜索树性质。"),
                ),
            ),
            code=(
                "def delete(node, key):\n"
                "    if node is None:\n"
                "        return None\n"
                "    if key < node.key:\n"
                "        node.left = delete(node.left, key)\n"
                "    elif key > node.key:\n"
                "        node.right = delete(node.right, key)\n"
                "    elif node.left is None or node.right is None:\n"
                "        return node.left or node.right\n"
                "    else:\n"
                "        succ = node.right\n"
                "        while succ.left is not None:\n"
                "            succ = succ.left\n"
                "        node.key = succ.key\n"
                "        node.right = delete(node.right, succ.key)\n"
                "    return node"
            ),
            key=(
                "leftmost | 最左 & right subtree | 右子树",
                "smallest key in the right subtree | smallest key of the right subtree | "
                "smallest node in the right subtree | smallest in the right subtree | minimum of the right subtree | "
                "min of the right subtree | minimum in the right subtree | 右子树中最小的 | 右子树的最小 | 右子树里最小的 | 右子树中的最小",
                "delete | remove | deleting | removing | 删除 | 删掉 & from the right subtree | from its right subtree | "
                "从右子树中 | 从右子树 | node.right=delete(node.right",
                "replace 5 with 7 | replace it with 7 | 7 replaces 5 | 7 takes its place | 用 7 替换 | 换成 7",
            ),
        ),
        Exercise(
            "height",
            ("Compute the height of a binary tree, counting edges on the longest root-to-leaf path (the empty tree has height −1).",
             "计算二叉树的高度，即从根到叶的最长路径上的边数（空树高度为 −1）。"),
            ("`height(None) = -1` and `height(node) = 1 + max(height(node.left), height(node.right))`, so a single leaf has height 0.",
             "`height(None) = -1`，`height(node) = 1 + max(height(node.left), height(node.right))`，因此单个叶结点高度为 0。"),
            (
                Mistake(
                    attempt=("returns the number of nodes in the tree.",
                             "返回树中结点的个数。"),
                    alt=("“A path-shaped tree and a full tree with 7 nodes get the same height from my code.”",
                         "“一棵链状的树和一棵 7 个结点的满二叉树，在我的代码里高度一样。”"),
                    diag=("Counting nodes measures the size of the tree, not its height.",
                          "数结点衡量的是树的大小，而不是它的高度。"),
                    ask=("What is the height of a full binary tree with 7 nodes?",
                         "一棵有 7 个结点的满二叉树，高度是多少？"),
                    step=("Draw a full tree of 7 nodes and count the edges on its longest path.",
                          "画一棵 7 个结点的满二叉树，数出最长路径上的边数。"),
                ),
                Mistake(
                    attempt=("returns `1 + height(left) + height(right)`.",
                             "返回 `1 + height(left) + height(right)`。"),
                    alt=("“A balanced three-node tree comes out with height 3.”",
                         "“一棵平衡的三结点树算出来高度是 3。”"),
                    diag=("Adding both subtrees' heights counts two paths at once, while height follows only one path down the tree.",
                          "把两棵子树的高度相加等于同时数了两条路径，而高度只沿树向下的一条路径计算。"),
                    ask=("Which subtree's height matters for the longest path?",
                         "对最长路径来说，哪棵子树的高度才是关键？"),
                    step=("Trace a three-node tree with your formula and compare with counting edges by hand.",
                          "用你的公式追踪一棵三结点的树，再和手工数边的结果比较。"),
                ),
                Mistake(
                    attempt=("returns 0 for the empty tree, so a single leaf gets height 1.",
                             "空树返回 0，结果单个叶结点的高度成了 1。"),
                    alt=("“A single node has height 1 in my code, but the definition says 0.”",
                         "“在我的代码里单个结点高度是 1，可定义说是 0。”"),
                    diag=("The base case for the empty tree is off by one for an edge-counting definition of height.",
                          "对于按边数定义的高度，你对空树的基本情况差了一。"),
                    ask=("What must height(None) be so that a leaf gets height 0?",
                         "height(None) 应该是多少，才能让叶结点的高度为 0？"),
                    step=("Evaluate the height of one leaf step by step with your base case.",
                          "用你的基本情况，一步一步计算一个叶结点的高度。"),
                ),
            ),
            code=(
                "def height(node):\n"
                "    if node is None:\n"
                "        return -1\n"
                "    return 1 + max(height(node.left), height(node.right))"
            ),
            key=(
                "1+max(height | 1+max( | max(height(node.left),height(node.right))+1 | max(hl,hr)+1 | "
                "max(left,right)+1",
                "height(none)=-1 | height(none)=−1 | return -1 | return −1 | 返回 -1 | 返回 −1",
                "max of the 2 heights plus 1 | larger of the 2 heights plus 1 | taller subtree plus 1 | "
                "taller child plus 1 | 1 more than the taller | 1 plus the taller | 1 plus the larger | "
                "1 plus the max | 1 plus the maximum | 较高子树的高度加 1 | 较高子树的高度加一 | 最大值加 1 | 最大值加一 | 较大者加 1 | 较大者加一 | "
                "较大值加 1 | 较大值加一 | 更高的子树高度加 1 | 更高的子树高度加一",
            ),
        ),
        Exercise(
            "bst_ops",
            ("Find the k-th smallest key in a BST (k starts at 1).",
             "找出二叉搜索树中第 k 小的键（k 从 1 开始）。"),
            ("Do an inorder traversal (recursively or with a stack), count nodes as they are visited, and return the key of the k-th visited node, stopping early.",
             "做中序遍历（递归或用栈），访问结点时计数，返回第 k 个被访问结点的键，并提前停止。"),
            (
                Mistake(
                    attempt=("does a preorder traversal and takes the k-th visited node.",
                             "做先序遍历，取第 k 个被访问的结点。"),
                    alt=("“For k = 1 I get the root instead of the minimum.”",
                         "“k = 1 时我得到的是根，而不是最小值。”"),
                    diag=("Preorder visits the root first; only one traversal order visits the keys of a BST in sorted order.",
                          "先序遍历最先访问根；只有一种遍历顺序会按有序的顺序访问二叉搜索树的键。"),
                    ask=("Which traversal of a BST lists its keys in ascending order?",
                         "二叉搜索树的哪种遍历会按升序列出它的键？"),
                    step=("Write all three traversals of a three-node BST and compare them.",
                          "写出一棵三结点二叉搜索树的三种遍历，比较一下。"),
                ),
                Mistake(
                    attempt=("uses inorder correctly but counts from 0, returning the (k + 1)-th smallest.",
                             "中序遍历用对了，但从 0 开始计数，返回了第 k + 1 小的键。"),
                    alt=("“For k = 1 I get the second smallest key.”",
                         "“k = 1 时我得到的是第二小的键。”"),
                    diag=("Your counter of visited nodes is off by one.",
                          "你对已访问结点的计数差了一。"),
                    ask=("Do you compare the counter with k before or after incrementing it?",
                         "你是在计数器加一之前还是之后把它和 k 比较的？"),
                    step=("Trace k = 1 on a three-node BST and write the counter at each visit.",
                          "在一棵三结点的二叉搜索树上追踪 k = 1，每次访问时写下计数器的值。"),
                ),
                Mistake(
                    attempt=("collects all the keys of the tree into a list and sorts it.",
                             "把树中所有的键收集到列表里再排序。"),
                    alt=("“It works, but it doesn't use the fact that it's a BST at all.”",
                         "“能跑对，但完全没用到它是二叉搜索树这一点。”"),
                    diag=("Sorting repeats work that the BST's order already gives you for free.",
                          "排序重复了二叉搜索树的顺序本来就免费提供给你的工作。"),
                    ask=("Could an inorder walk stop as soon as it has seen k keys?",
                         "中序遍历能不能在看到 k 个键之后就立即停止？"),
                    step=("Trace an inorder traversal that stops early for k = 2.",
                          "追踪一次在 k = 2 时提前停止的中序遍历。"),
                ),
            ),
            code=(
                "def kth_smallest(root, k):\n"
                "    stack, node = [], root\n"
                "    while stack or node:\n"
                "        while node:\n"
                "            stack.append(node)\n"
                "            node = node.left\n"
                "        node = stack.pop()\n"
                "        k -= 1\n"
                "        if k == 0:\n"
                "            return node.key\n"
                "        node = node.right\n"
                "    return None"
            ),
            key=(
                "inorder | in-order | 中序 & k-th visited | kth visited | k-th node | kth node | k-th key visited | "
                "return the k-th | return the kth | k-th element visited | k-th one | 第 k 个被访问 | 第 k 个访问 | 第 k 个结点 | "
                "第 k 个出现 | 返回第 k 个 | 第 k 个",
                "k-=1 & k==0",
                "count+=1 & count==k",
            ),
        ),
        Exercise(
            "traversal",
            ("Write a recursive function that returns the sum of all keys in a binary tree.",
             "写一个递归函数，返回二叉树中所有键的和。"),
            ("Return 0 for None, otherwise `node.key + tree_sum(node.left) + tree_sum(node.right)`.",
             "对 None 返回 0，否则返回 `node.key + tree_sum(node.left) + tree_sum(node.right)`。"),
            (
                Mistake(
                    attempt=("has no base case for a missing child and crashes.",
                             "没有处理孩子不存在的基本情况，程序崩溃。"),
                    alt=("“I get ‘NoneType object has no attribute key’.”",
                         "“报错 ‘NoneType object has no attribute key’。”"),
                    diag=("The recursion reaches missing children of the tree and treats them as if they were nodes.",
                          "递归走到了树中不存在的孩子，却把它们当成结点来处理。"),
                    ask=("What should the sum of an empty tree be?",
                         "空树的和应该是多少？"),
                    step=("Trace your function on a single leaf node.",
                          "在一个单独的叶结点上追踪你的函数。"),
                ),
                Mistake(
                    attempt=("returns `node.key + tree_sum(node.left)` and forgets the right subtree.",
                             "返回 `node.key + tree_sum(node.left)`，忘了右子树。"),
                    alt=("“My total is too small for most trees.”",
                         "“对大多数树来说，我的总和都偏小。”"),
                    diag=("Only one of the two subtrees contributes to your total.",
                          "两棵子树中只有一棵对总和有贡献。"),
                    ask=("Which part of the tree is never visited by your recursion?",
                         "树的哪一部分从来没有被你的递归访问到？"),
                    step=("Trace a three-node tree and mark every node your function visits.",
                          "追踪一棵三结点的树，标出函数访问到的每个结点。"),
                ),
                Mistake(
                    attempt=("adds into a global total that is never reset between calls.",
                             "把值累加到一个全局变量里，而且两次调用之间从不清零。"),
                    alt=("“The second time I call it on the same tree, the answer doubles.”",
                         "“对同一棵树第二次调用时，答案翻倍了。”"),
                    diag=("Your total is remembered across calls instead of being built from the subtrees each time.",
                          "你的总和在多次调用之间被保留下来，而不是每次都由子树重新算出。"),
                    ask=("How could each call compute its total from the values returned for its subtrees?",
                         "每次调用怎样才能用子树返回的值来算出自己的总和？"),
                    step=("Call the function twice on the same tree and print both results.",
                          "对同一棵树调用两次函数，把两次结果都打印出来。"),
                ),
            ),
            code=(
                "def tree_sum(node):\n"
                "    if node is None:\n"
                "        return 0\n"
                "    return node.key + tree_sum(node.left) + tree_sum(node.right)"
            ),
            key=(
                "node.key+tree_sum(node.left)+tree_sum(node.right) | +tree_sum(node.right) | "
                "node.key+sum(left)+sum(right) | key+left+right",
                "return 0 | 返回 0 | 0 for none | sum of an empty tree is 0 | 空树的和为 0 | 空树的和是 0 | empty tree is 0 | "
                "empty tree sums to 0 | none is 0 | 空树为 0",
                "add the right subtree | plus the right subtree | also the right subtree | "
                "add the sum of the right | 加上右子树 | 再加右子树 | 右子树的和也加上 | 也加上右子树",
            ),
        ),
        Exercise(
            "bst_property",
            ("Find the lowest common ancestor of two keys p and q that are both present in a BST.",
             "求二叉搜索树中两个都存在的键 p 和 q 的最近公共祖先。"),
            ("Start at the root: if both keys are smaller than the node go left, if both are larger go right, otherwise (they split, or one equals the node) the current node is the answer; O(h) time.",
             "从根开始：若两个键都比当前结点小就往左走，都比它大就往右走，否则（两个键分居两侧，或其中一个等于当前结点）当前结点就是答案；时间 O(h)。"),
            (
                Mistake(
                    attempt=("searches the whole tree for both paths as in a general binary tree.",
                             "像处理普通二叉树那样，在整棵树中搜索两条路径。"),
                    alt=("“My solution visits every node of the tree.”",
                         "“我的解法访问了树中的每个结点。”"),
                    diag=("It works, but it ignores that the BST order tells you on which side both keys lie.",
                          "它是可行的，但忽略了二叉搜索树的顺序能告诉你两个键在哪一侧。"),
                    ask=("If both p and q are smaller than the current node, where must their common ancestor be?",
                         "如果 p 和 q 都比当前结点小，它们的公共祖先一定在哪里？"),
                    step=("Trace p = 2 and q = 4 in a BST whose root is 6.",
                          "在根为 6 的二叉搜索树中追踪 p = 2、q = 4。"),
                ),
                Mistake(
                    attempt=("only stops when p < node.key < q, so it walks past p when p is an ancestor of q.",
                             "只有当 p < node.key < q 时才停下，所以当 p 是 q 的祖先时会走过 p。"),
                    alt=("“When one key is an ancestor of the other, my code returns None.”",
                         "“当一个键是另一个键的祖先时，我的代码返回 None。”"),
                    diag=("A node whose key equals one of the two keys can itself be the lowest common ancestor.",
                          "键等于两个键之一的结点，本身就可能是最近公共祖先。"),
                    ask=("What should happen when the current node's key equals p or q?",
                         "当当前结点的键等于 p 或 q 时，应该怎么处理？"),
                    step=("Trace p = 2 and q = 3 in a BST where 3 lies in the right subtree of 2.",
                          "在 3 位于 2 的右子树的二叉搜索树中，追踪 p = 2、q = 3。"),
                ),
                Mistake(
                    attempt=("assumes p < q and gives wrong answers when called with p > q.",
                             "假设 p < q，当调用时 p > q 就给出错误答案。"),
                    alt=("“lca(4, 2) gives a different node than lca(2, 4).”",
                         "“lca(4, 2) 和 lca(2, 4) 给出的结点不一样。”"),
                    diag=("Your comparisons against the node depend on which argument happens to be smaller.",
                          "你和结点做的比较依赖于哪个参数恰好更小。"),
                    ask=("How can the function be made independent of the order of its arguments?",
                         "怎样让函数与参数的顺序无关？"),
                    step=("Call it both ways on the same tree and compare the results.",
                          "在同一棵树上用两种参数顺序调用它，比较结果。"),
                ),
            ),
            code=(
                "def lca(root, p, q):\n"
                "    node = root\n"
                "    while node:\n"
                "        if p < node.key and q < node.key:\n"
                "            node = node.left\n"
                "        elif p > node.key and q > node.key:\n"
                "            node = node.right\n"
                "        else:\n"
                "            return node\n"
                "    return None"
            ),
            key=(
                "go left | move left | goes left | left subtree | node.left | 往左 | 向左 | 左子树 & go right | "
                "move right | goes right | right subtree | node.right | 往右 | 向右 | 右子树 & both | 都",
                "split | splits | diverge | on different sides | on opposite sides | one on each side | 分居两侧 | "
                "分别位于两侧 | 分在两侧 | 一左一右 | 分别在两侧 & lca | ancestor | answer | 祖先 | 答案",
            ),
        ),
        Exercise(
            "height",
            ("Check in O(n) whether a binary tree is height-balanced: at every node the subtree heights differ by at most 1.",
             "在 O(n) 时间内判断一棵二叉树是否高度平衡：每个结点的两棵子树高度差不超过 1。"),
            ("Use one post-order pass that returns the height of a subtree or −2 (a sentinel) if it is unbalanced: compute both children, propagate −2, return −2 if the heights differ by more than 1, else `1 + max(hl, hr)`.",
             "用一次后序遍历，返回子树高度，若不平衡则返回哨兵值 −2：先算两个孩子，遇到 −2 就向上传递；若高度差大于 1 返回 −2，否则返回 `1 + max(hl, hr)`。"),
            (
                Mistake(
                    attempt=("only compares the heights of the root's two subtrees.",
                             "只比较根的两棵子树的高度。"),
                    alt=("“A tree with a badly unbalanced node deep down passes my check.”",
                         "“一棵深处有严重不平衡结点的树通过了我的检查。”"),
                    diag=("Balance has to hold at every node of the tree, not just at the root.",
                          "平衡必须在树的每个结点上成立，而不只是在根上。"),
                    ask=("Could a node inside the left subtree be unbalanced even though the root is fine?",
                         "根是平衡的，左子树里的某个结点有没有可能不平衡？"),
                    step=("Draw a tree whose root is balanced but one of whose children isn't.",
                          "画一棵根平衡、但某个孩子不平衡的树。"),
                ),
                Mistake(
                    attempt=("calls a separate height() function at every node, which is O(n²) on skewed trees.",
                             "在每个结点上都单独调用 height() 函数，对斜树来说是 O(n²)。"),
                    alt=("“It's correct, but slow on long chains.”",
                         "“结果正确，但在长链上很慢。”"),
                    diag=("Each height call walks again through subtrees whose height you already measured.",
                          "每次调用 height 都会重新走一遍已经测过高度的子树。"),
                    ask=("Could one recursive pass return both the height and whether the subtree is balanced?",
                         "能否用一次递归同时返回子树的高度和它是否平衡？"),
                    step=("Count how many times each node is visited on a five-node chain.",
                          "在一条五个结点的链上，数一数每个结点被访问了多少次。"),
                ),
                Mistake(
                    attempt=("compares the numbers of nodes in the two subtrees instead of their heights.",
                             "比较的是两棵子树的结点数，而不是高度。"),
                    alt=("“My code rejects a tree with a full 3-node left subtree and a single-node right subtree.”",
                         "“我的代码拒绝了一棵左子树是 3 个结点的满树、右子树只有一个结点的树。”"),
                    diag=("Balance is defined by heights, and subtrees of different sizes can still have similar heights.",
                          "平衡是按高度定义的，大小不同的子树高度仍可能相近。"),
                    ask=("What are the heights of a full three-node subtree and of a single node?",
                         "一棵三结点满子树和一个单结点的高度分别是多少？"),
                    step=("Compute both the sizes and the heights of the two subtrees in that example.",
                          "在那个例子里，分别算出两棵子树的大小和高度。"),
                ),
            ),
            code=(
                "def is_balanced(root):\n"
                "    def check(node):\n"
                "        if node is None:\n"
                "            return -1\n"
                "        hl, hr = check(node.left), check(node.right)\n"
                "        if hl == -2 or hr == -2 or abs(hl - hr) > 1:\n"
                "            return -2\n"
                "        return 1 + max(hl, hr)\n"
                "    return check(root) != -2"
            ),
            key=(
                "sentinel | 哨兵 | -2 | −2 | special value | 特殊值 | return a pair | return a tuple | returns a pair | "
                "returns a tuple | (height,balanced) | (balanced,height) | 返回一个二元组 | 返回元组 | 返回一对",
                "post-order | postorder | bottom-up | 后序 | 自底向上 & once | 1 pass | single pass | 一次 | 一遍",
            ),
        ),
        Exercise(
            "bst_ops",
            ("Search for a key in a BST iteratively and state the cost of the search.",
             "用迭代方式在二叉搜索树中查找一个键，并说明查找的代价。"),
            ("Loop `while node is not None and node.key != key`, going left if the key is smaller and right otherwise; return node (None if absent). The cost is O(h): O(log n) if balanced, O(n) for a degenerate tree.",
             "循环条件为 `node is not None and node.key != key`，键更小就往左，否则往右；返回 node（不存在时为 None）。代价是 O(h)：平衡时为 O(log n)，退化成链时为 O(n)。"),
            (
                Mistake(
                    attempt=("searches both subtrees of every node, as in a general binary tree.",
                             "像在普通二叉树中那样，搜索每个结点的两棵子树。"),
                    alt=("“It works, but it visits almost every node of the tree.”",
                         "“能找到，但几乎访问了树中的每个结点。”"),
                    diag=("The BST order tells you which single subtree can contain the key.",
                          "二叉搜索树的顺序会告诉你哪一棵子树才可能包含这个键。"),
                    ask=("If the key is smaller than the current node, can it be in the right subtree?",
                         "如果键比当前结点小，它有可能在右子树中吗？"),
                    step=("Trace a search for 7 in a 15-node BST and count the visited nodes.",
                          "在一棵 15 个结点的二叉搜索树中追踪查找 7 的过程，数一数访问的结点数。"),
                ),
                Mistake(
                    attempt=("loops `while node.key != key` and crashes when the key is absent.",
                             "用 `while node.key != key` 循环，键不存在时程序崩溃。"),
                    alt=("“Searching for a key that isn't there gives an AttributeError.”",
                         "“查找一个不存在的键时报 AttributeError。”"),
                    diag=("The loop walks off the tree into None when the key isn't in the BST.",
                          "当键不在二叉搜索树中时，循环会走出树，走到 None 上。"),
                    ask=("Besides finding the key, what else should stop the loop?",
                         "除了找到键以外，还有什么情况应该让循环停下？"),
                    step=("Search for a missing key in a three-node BST and trace each step.",
                          "在一棵三结点的二叉搜索树中查找一个不存在的键，追踪每一步。"),
                ),
                Mistake(
                    attempt=("states that the search is always O(log n).",
                             "断言查找永远是 O(log n)。"),
                    alt=("“BST search is O(log n), always.”",
                         "“二叉搜索树查找永远是 O(log n)。”"),
                    diag=("The search costs the height of the tree, and the height depends on the order the keys were inserted in.",
                          "查找的代价是树的高度，而高度取决于键的插入顺序。"),
                    ask=("What does the tree look like if the keys 1, 2, 3, …, n are inserted in that order?",
                         "如果按 1, 2, 3, …, n 的顺序插入键，树会是什么样子？"),
                    step=("Insert 1 to 5 in order, draw the tree, and count the steps needed to find 5.",
                          "按顺序插入 1 到 5，画出树，数一数找到 5 需要几步。"),
                ),
            ),
            code=(
                "def search(node, key):\n"
                "    while node is not None and node.key != key:\n"
                "        node = node.left if key < node.key else node.right\n"
                "    return node"
            ),
            key=(
                "node is not none and node.key!=key | while node and node.key!=key | while node is not none | "
                "node is not none and | while node and",
                "o(n) & degenerate | skewed | chain | sorted order | worst | 退化 | 斜 | 链 | 最坏 | 有序",
                "is o(h) | costs o(h) | cost is o(h) | 是 o(h) | 为 o(h) | 代价是 o(h) | takes o(h)",
            ),
        ),
        Exercise(
            "traversal",
            ("Rebuild a binary tree with distinct keys from its preorder and inorder sequences.",
             "根据先序和中序序列重建一棵键互不相同的二叉树。"),
            ("The first preorder key is the root; its position m in the inorder list splits it into left (size m) and right parts; recurse on preorder[1:m+1] with inorder[:m] and on preorder[m+1:] with inorder[m+1:], using a dict of inorder positions for O(n) overall.",
             "先序序列的第一个键是根；它在中序序列中的位置 m 把中序序列分成左（大小为 m）右两部分；分别用 preorder[1:m+1] 与 inorder[:m]、preorder[m+1:] 与 inorder[m+1:] 递归，并用字典记录中序位置，使总时间为 O(n)。"),
            (
                Mistake(
                    attempt=("splits the inorder list at the root correctly but splits the preorder list in half.",
                             "在根处正确切分了中序序列，却把先序序列从中间一分为二。"),
                    alt=("“My rebuilt tree is right for balanced examples but wrong otherwise.”",
                         "“对于平衡的例子我重建的树是对的，其他情况就错了。”"),
                    diag=("The size of the left subtree, not half the list, decides where the preorder sequence splits.",
                          "决定先序序列在哪里切分的是左子树的大小，而不是序列的一半。"),
                    ask=("How many keys belong to the left subtree, and where does that put the split in preorder?",
                         "左子树有多少个键？这决定了先序序列在哪里切分？"),
                    step=("Trace preorder [1, 2, 3] with inorder [3, 2, 1].",
                          "用先序 [1, 2, 3]、中序 [3, 2, 1] 追踪一遍。"),
                ),
                Mistake(
                    attempt=("calls `inorder.index(root)` in every recursive call, which is O(n²) on skewed trees.",
                             "每次递归都调用 `inorder.index(root)`，对斜树来说是 O(n²)。"),
                    alt=("“It's correct, but slow when the tree is a long chain.”",
                         "“结果正确，但树是一条长链时很慢。”"),
                    diag=("Each `index()` call scans the inorder list again to find a subtree's root.",
                          "每次调用 `index()` 都要重新扫描中序序列来找子树的根。"),
                    ask=("Could you precompute where each key sits in the inorder list?",
                         "能否预先算好每个键在中序序列中的位置？"),
                    step=("Build a dict from key to inorder position and count how many lookups you need.",
                          "建一个从键到中序位置的字典，数一数需要多少次查找。"),
                ),
                Mistake(
                    attempt=("takes the last element of the preorder list as the root.",
                             "把先序序列的最后一个元素当作根。"),
                    alt=("“My root is already wrong at the first step.”",
                         "“我的根在第一步就错了。”"),
                    diag=("In preorder the root is visited before both of its subtrees.",
                          "在先序遍历中，根是在两棵子树之前被访问的。"),
                    ask=("Which position of the preorder list holds the root of the tree?",
                         "先序序列的哪个位置存放着树的根？"),
                    step=("Write the preorder of a three-node tree and point at its root.",
                          "写出一棵三结点树的先序序列，指出它的根。"),
                ),
            ),
            code=(
                "def build(preorder, inorder):\n"
                "    pos = {key: i for i, key in enumerate(inorder)}\n"
                "    it = iter(preorder)\n"
                "    def rec(lo, hi):\n"
                "        if lo > hi:\n"
                "            return None\n"
                "        node = Node(next(it))\n"
                "        m = pos[node.key]\n"
                "        node.left = rec(lo, m - 1)\n"
                "        node.right = rec(m + 1, hi)\n"
                "        return node\n"
                "    return rec(0, len(inorder) - 1)"
            ),
            key=(
                "preorder[1:m+1] | pre[1:m+1] | preorder[1:1+m] | preorder[m+1:] | [1:m+1] | inorder[:m] | "
                "inorder[m+1:]",
                "first key | first element | first value | first item | first entry | preorder[0] | "
                "first in preorder | 第一个键 | 第一个元素 | 第一个值 | 首元素 | 第一个数 | 最前面 & root | 根",
            ),
        ),
        Exercise(
            "bst_property",
            ("Find the inorder successor of a key x in a BST without parent pointers, starting from the root.",
             "在没有父指针的二叉搜索树中，从根开始找出键 x 的中序后继。"),
            ("Walk from the root: when `x < node.key`, remember node as a candidate and go left; otherwise go right; the last remembered candidate is the successor (this covers both the leftmost node of x's right subtree and the nearest larger ancestor).",
             "从根向下走：当 `x < node.key` 时，把该结点记为候选并往左走；否则往右走；最后记住的候选就是后继（这同时覆盖了 x 右子树中最左结点和最近的更大祖先两种情况）。"),
            (
                Mistake(
                    attempt=("always returns the node's right child.",
                             "总是返回该结点的右孩子。"),
                    alt=("“When the right child has a left child, my successor is wrong.”",
                         "“当右孩子还有左孩子时，我找到的后继就错了。”"),
                    diag=("The right child is larger, but its left subtree may hold keys that are closer to x.",
                          "右孩子确实更大，但它的左子树里可能有离 x 更近的键。"),
                    ask=("Within the right subtree, where is the smallest key?",
                         "在右子树中，最小的键在哪里？"),
                    step=("Find the successor of 5 in the tree 5 (3, 8 (7, 9)).",
                          "在树 5 (3, 8 (7, 9)) 中找 5 的后继。"),
                ),
                Mistake(
                    attempt=("returns None whenever the node has no right child.",
                             "只要结点没有右孩子就返回 None。"),
                    alt=("“The successor of 3 in the tree 5 (3, 8) comes out as None.”",
                         "“在树 5 (3, 8) 中，3 的后继算出来是 None。”"),
                    diag=("Without a right subtree, the successor is one of the node's ancestors.",
                          "没有右子树时，后继是该结点的某个祖先。"),
                    ask=("Which ancestor is the first one that is larger than the node?",
                         "哪个祖先是第一个比该结点大的？"),
                    step=("Walk from the root to 3, remembering the last node where you turned left.",
                          "从根走到 3，记住最后一次向左转时所在的结点。"),
                ),
                Mistake(
                    attempt=("returns the parent of the node.",
                             "返回该结点的父结点。"),
                    alt=("“For a right child, I return its parent, which is smaller.”",
                         "“对于右孩子，我返回了它的父结点，可父结点更小。”"),
                    diag=("When the node is a right child, its parent is smaller than it, so the parent can't be its successor.",
                          "当结点是右孩子时，它的父结点比它小，所以父结点不可能是它的后继。"),
                    ask=("Is the parent of a right child bigger or smaller than the child?",
                         "右孩子的父结点比这个孩子大还是小？"),
                    step=("Check your answer for the successor of 9 in 5 (3, 8 (7, 9)).",
                          "检查你对 5 (3, 8 (7, 9)) 中 9 的后继给出的答案。"),
                ),
            ),
            code=(
                "def successor(root, x):\n"
                "    node, cand = root, None\n"
                "    while node:\n"
                "        if x < node.key:\n"
                "            cand, node = node, node.left\n"
                "        else:\n"
                "            node = node.right\n"
                "    return cand"
            ),
            key=(
                "cand,node=node,node.left | cand=node | candidate=node",
                "candidate | 候选 | cand & left | 左",
                "x<node.key & remember | record | save | store | 记住 | 记下 | 记录 | 保存 & left | 左",
                "leftmost | 最左 & right subtree | 右子树",
                "nearest larger ancestor | nearest greater ancestor | lowest larger ancestor | "
                "first ancestor that is larger | 最近的更大祖先 | 第一个比它大的祖先",
            ),
        ),
    ),
)
