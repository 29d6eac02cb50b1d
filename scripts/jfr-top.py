#!/usr/bin/env python3
"""Aggregates a JFR recording's execution samples: the top (leaf) frames, and the share of samples with
any frame under each package (inclusive). Usage:
  jfr print --stack-depth 64 --events jdk.ExecutionSample rec.jfr > samples.txt; scripts/jfr-top.py samples.txt
(docs/performance.md says how the recordings were made)."""
import re, sys, collections
text = open(sys.argv[1]).read() if len(sys.argv) > 1 else sys.stdin.read()
events = text.split('jdk.ExecutionSample {')[1:]
leaf = collections.Counter(); incl = collections.Counter(); n = 0
prefixes = ['org.hibernate', 'io.netty', 'io.vertx.pgclient', 'io.vertx', 'org.jose4j', 'io.smallrye.jwt', 'com.fasterxml.jackson',
            'com.networknt', 'org.apache.kafka', 'org.countersign.events', 'org.countersign.protocol', 'org.countersign.otp',
            'io.smallrye.mutiny', 'org.jboss.resteasy', 'io.quarkus', 'java.util.concurrent.ConcurrentHashMap', 'javax.crypto',
            'sun.security', 'com.sun.crypto', 'org.bouncycastle', 'io.micrometer', 'org.jboss.logging', 'jdk.internal.misc.Unsafe.park']
for e in events:
    m = re.search(r'stackTrace = \[(.*?)\n\s*\]', e, re.S)
    if not m: continue
    frames = [re.sub(r'\s+line:.*', '', f.strip()) for f in m.group(1).strip().split('\n') if f.strip() and f.strip() != '...']
    if not frames: continue
    n += 1
    leaf[frames[0]] += 1
    seen = set()
    for f in frames:
        for p in prefixes:
            if f.startswith(p) and p not in seen:
                seen.add(p); incl[p] += 1
print(f'{n} samples')
print('-- top leaf frames')
for f, c in leaf.most_common(25): print(f'{100*c/n:5.1f} %  {f}')
print('-- inclusive, samples with a frame under')
for p, c in incl.most_common(): print(f'{100*c/n:5.1f} %  {p}')
