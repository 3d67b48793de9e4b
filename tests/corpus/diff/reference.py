# Reference statuses for a revision pair, by exact article number within its division:
# valid for pairs without renumbering (checked by hand). Independent of chotatsu.
import re, sys, unicodedata
NUM = r'[0-9０-９〇一二三四五六七八九十百千]+'
def split(text):
    items = {}  # path -> text
    order = []
    div = {}    # level -> part
    cur = None
    caption = None
    for line in text.split('\n'):
        s = line.strip().lstrip('#').strip().replace('**', '')
        m = re.match(r'^第(' + NUM + r')(編|章|節|款|目)(の' + NUM + r')*', s)
        sup = re.match(r'^附\s*則\s*(（[^）]*）)?\s*(抄)?\s*$', s)
        art = re.match(r'^第' + NUM + r'条(の' + NUM + r')*', s)
        if s.startswith('目次'):
            cur = None; continue
        if m and re.search(r'（第.*条.*）\s*$', s):
            continue  # table of contents
        if sup:
            div = {0: '附則' + (sup.group(1) or '')}
            cur = div[0]; items[cur] = ''; order.append(cur); continue
        if m:
            lvl = '編章節款目'.index(m.group(2)) + 1
            div = {k: v for k, v in div.items() if k < lvl}
            div[lvl] = m.group(0)
            cur = ''.join(div[k] for k in sorted(div)); items[cur] = s[len(m.group(0)):]; order.append(cur); continue
        if art:
            base = ''.join(v for k, v in sorted(div.items()) if k == 0 or True)
            cur = base + art.group(0)
            items[cur] = (caption or '') + s[len(art.group(0)):]; order.append(cur); caption = None; continue
        if re.match(r'^（[^）]*）$', s):
            caption = s; continue
        if cur is not None:
            items[cur] += '\n' + s
    return items, order
norm = lambda t: re.sub(r'\s+', '', unicodedata.normalize('NFKC', t))
old, oo = split(open(sys.argv[1]).read())
new, no = split(open(sys.argv[2]).read())
for k in no:
    if k not in old: print('added', k)
    elif norm(old[k]) != norm(new[k]): print('modified', k)
for k in oo:
    if k not in new: print('deleted', k)
print('# articles and divisions:', len(set(oo) | set(no)), file=sys.stderr)
