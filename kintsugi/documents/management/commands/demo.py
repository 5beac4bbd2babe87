from django.core.management.base import BaseCommand

from kintsugi.core.debt.clock import utc_today
from kintsugi.debt.clock import get_clock
from kintsugi.debt.demo import load_sprint_demo
from kintsugi.documents.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo


class Command(BaseCommand):
    help = "Load the demo post-mortems (the connection-pool incident and a few others). Idempotent."

    def handle(self, *args, **options):
        incident, created = load_demo()
        if created:
            load_sprint_demo(utc_today(get_clock()))  # the debt dashboard's sprints
        verb = "Loaded" if created else "Already loaded"
        self.stdout.write(f"{verb}: {incident.reference} {incident.title}")
        self.stdout.write(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
