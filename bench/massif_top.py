#!/usr/bin/env python3
"""massif_top.py FILE [SNAPSHOT] [N]: a massif snapshot's heap (the peak by default) summed by the
innermost budgetsite frame of each allocation, the N largest (25). Build without mimalloc
(comment out the global allocator in src/main.rs) and run
`valgrind --tool=massif --threshold=0.3 --depth=30 --massif-out-file=F target/release/budgetsite build ...`."""
import re, sys, collections
lines = open(sys.argv[1]).read().split('\n')
want = sys.argv[2] if len(sys.argv) > 2 else None
snaps = []; i = 0
while i < len(lines):
    if lines[i].startswith('snapshot='):
        n = int(lines[i].split('=')[1]); heap = int(lines[i+3].split('=')[1]); tree = lines[i+6]
        start = i + 7 if tree.startswith('heap_tree=detailed') or tree.startswith('heap_tree=peak') else None
        snaps.append((n, heap, tree, start)); 
    i += 1
if want is None:
    pk = [s for s in snaps if s[2] == 'heap_tree=peak'][0]
else:
    pk = [s for s in snaps if s[0] == int(want)][0]
print('snapshot', pk[0], 'heap', pk[1] / 1e6, 'MB')
# parse tree: lines like ' n2: 123 0x...: func (file)'
i = pk[3]; stack = []; leaves = collections.Counter()
pat = re.compile(r'^( *)n(\d+): (\d+) (.*)$')
def key(frames):
    for f in reversed(frames):
        if 'budgetsite' in f and 'alloc' not in f.split('(')[0][-40:]:
            m = re.search(r': (.*?) \(', f); return (m.group(1) if m else f)[:150]
    return frames[-1][:150] if frames else '?'
while i < len(lines):
    m = pat.match(lines[i])
    if not m: break
    depth = len(m.group(1)); nchild = int(m.group(2)); size = int(m.group(3)); label = m.group(4)
    stack = stack[:depth] + [label]
    if nchild == 0:
        # leaf: attribute to the innermost budgetsite frame below the allocator
        frames = stack[1:]
        # frames[0] is the allocation site (malloc), deeper entries are callers
        leaves[key(list(reversed(frames)))] += size
    i += 1
for k, v in leaves.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 25):
    print(f'{v/1e6:8.1f} MB  {k}')
