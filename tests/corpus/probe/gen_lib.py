"""Marked text to a labelled corpus row (write_probe.py)."""
import re
PAT = re.compile(r'⟦(\w+)\|(.*?)⟧|⟪(.*?)⟫', re.S)
CLS = {'n':'name','ph':'phone','u':'user','id':'id','ip':'ip','mac':'mac','em':'email','geo':'geo','path':'path','sec':'secret','sip':'sip_uri'}
def build(source, prov, marked):
    pii, ben, out, pos = [], [], [], 0
    for m in PAT.finditer(marked):
        out.append(marked[pos:m.start()])
        if m.group(1):
            pii.append({'value': m.group(2), 'class': CLS[m.group(1)]}); out.append(m.group(2))
        else:
            ben.append(m.group(3)); out.append(m.group(3))
        pos = m.end()
    out.append(marked[pos:])
    text = ''.join(out).strip('\n')
    assert '\n\n' not in text, text[:80]
    for p in pii: assert p['value'] in text
    # dedupe keep order
    seen=set(); pii2=[]
    for p in pii:
        k=(p['value'],p['class'])
        if k not in seen: seen.add(k); pii2.append(p)
    return {'text': text, 'source': source, 'provenance': prov, 'pii': pii2, 'benign': sorted(set(ben), key=ben.index)}
