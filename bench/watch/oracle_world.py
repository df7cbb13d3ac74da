#!/usr/bin/env python3
# Usage: oracle_world.py WORLD OUT. Makes a copy of a world whose selectors.csv attributes every selector to
# its true owner (for persons in persons.csv): the stand-in for perfect
# identifier resolution.
import csv, os, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst + '/truth', exist_ok=True)
for f in os.listdir(src):
    if f.endswith('.csv') and f != 'selectors.csv':
        p = os.path.join(dst, f)
        if not os.path.exists(p): os.symlink(os.path.abspath(os.path.join(src, f)), p)
for f in os.listdir(src + '/truth'):
    p = os.path.join(dst, 'truth', f)
    if not os.path.exists(p): os.symlink(os.path.abspath(os.path.join(src, 'truth', f)), p)
known = {r['person_id'] for r in csv.DictReader(open(src + '/persons.csv'))}
with open(dst + '/selectors.csv', 'w', newline='') as out:
    w = csv.writer(out); w.writerow(['selector', 'person_id', 'source'])
    for r in csv.DictReader(open(src + '/truth/selectors.csv')):
        w.writerow([r['selector'], r['person_id'] if r['person_id'] in known else '', 'oracle'])
