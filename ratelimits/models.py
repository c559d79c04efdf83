"""One counted attempt. Only a keyed hash of who made it is kept (never an address or an email
address), and only for as long as the longest window that counts it."""

from django.db import models


class Attempt(models.Model):
    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"]), models.Index(fields=["at"])]

    def __str__(self):
        return f"{self.scope} attempt {self.pk}"
