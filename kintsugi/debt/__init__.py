"""Post-mortem debt, the Django side: policy storage, dashboard, weekly review, reminders,
deliveries, the worker and the sprint budget. The rules live in ``kintsugi.core.debt``."""
