"""Unattended runs: schedules with business calendars, the ``bots scheduler`` service (APScheduler
3.x with a persistent job store and a leader lock), and the Celery scale-out (``bots worker``).

The core never imports this package; it plugs in through the ``backoffice.commands`` entry
points. Modules: ``calendars`` (business days and triggers), ``schedules`` (the validated
schedules file), ``policies`` (missed-run policy), ``leader`` (one active scheduler per
database), ``service`` (the scheduler), ``dispatch`` and ``celery_app`` (scale-out), ``cli``.
"""
