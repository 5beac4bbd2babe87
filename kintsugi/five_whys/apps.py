from django.apps import AppConfig


class FiveWhysConfig(AppConfig):
    """The 5 Whys app, ``kintsugi.five_whys`` since issue 15 (it was ``kintsugi.analysis``).

    The label stays ``analysis`` on purpose: Django names the tables (``analysis_whynode``,
    ``analysis_analysis``), the migration history and the content types after the label, so
    keeping it lets every existing database upgrade without a migration. Code refers to the
    package (``kintsugi.five_whys``); only the database and ``"analysis.WhyNode"`` strings
    see the label.
    """

    name = "kintsugi.five_whys"
    label = "analysis"
    verbose_name = "5 Whys"
