"""Rate-limit counters: one row per (limit, client, time window), deleted when its window ends.

The key is a keyed hash (HMAC with the site's secret) of the limit's name, the window and the client's
address, so the table holds no address, and the same address gives unrelated keys in two windows.
"""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "rate-limit counter"

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.count} until {self.expires:%H:%M:%S}"
