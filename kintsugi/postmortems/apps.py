from django.apps import AppConfig


class PostmortemsConfig(AppConfig):
    name = "kintsugi.postmortems"
    label = "postmortems"
    verbose_name = "Post-mortems"
