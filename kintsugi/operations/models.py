"""What running Kintsugi needs to remember: which workers are alive."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per ``kintsugi worker`` process, written at the end of each pass.

    Readiness and ``/metrics`` read the newest one: a worker that stopped passing (crashed,
    stuck, never started) shows as an age that grows, which is what an alert watches.
    """

    worker = models.CharField(max_length=200, unique=True)  # host:pid
    started_at = models.DateTimeField()
    last_pass_at = models.DateTimeField(db_index=True)
    passes = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.worker} at {self.last_pass_at:%Y-%m-%d %H:%M:%S}"
