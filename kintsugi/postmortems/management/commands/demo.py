from django.core.management.base import BaseCommand

from kintsugi.postmortems.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo


class Command(BaseCommand):
    help = "Load the demo post-mortems (the connection-pool incident and a few others). Idempotent."

    def handle(self, *args, **options):
        incident, created = load_demo()
        verb = "Loaded" if created else "Already loaded"
        self.stdout.write(f"{verb}: {incident.reference} {incident.title}")
        self.stdout.write(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
