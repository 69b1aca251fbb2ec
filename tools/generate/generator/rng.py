"""Seeded random numbers that stay the same across Python versions.

Only `getrandbits` of the Mersenne Twister is used (its output for an integer seed has not changed since
Python 3.2); the helpers built on it here never change. Each part of the enterprise draws from its own
stream, named after what it makes, so that changing one count leaves the names of unrelated objects alone.
"""

import hashlib
import random


class Rng:
    def __init__(self, seed, stream):
        digest = hashlib.sha256(f"{seed}/{stream}".encode()).digest()
        self._r = random.Random(int.from_bytes(digest[:16], "big"))
        self._bits = self._r.getrandbits

    def below(self, n):
        """A whole number from 0 to n - 1, uniform."""
        if n <= 1:
            return 0
        k = n.bit_length()
        while True:
            r = self._bits(k)
            if r < n:
                return r

    def between(self, lo, hi):
        """A whole number from lo to hi, both included."""
        return lo + self.below(hi - lo + 1)

    def pick(self, items):
        return items[self.below(len(items))]

    def shuffle(self, items):
        """Fisher-Yates, in place."""
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items

    def sample(self, items, k):
        """k distinct items of a sequence, in random order, without copying it when k is small."""
        n = len(items)
        k = min(k, n)
        if k * 4 < n:
            chosen, seen = [], set()
            while len(chosen) < k:
                i = self.below(n)
                if i not in seen:
                    seen.add(i)
                    chosen.append(items[i])
            return chosen
        pool = list(items)  # a partial Fisher-Yates over a copy
        for i in range(k):
            j = i + self.below(n - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]

    def sample_indices(self, n, k):
        """k distinct whole numbers below n, in random order."""
        return self.sample(range(n), k)

    def guid(self):
        h = f"{self._bits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
