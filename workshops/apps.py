from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Workshops"

    def ready(self):
        from django.urls import register_converter

        from workshops.slugs import SlugConverter

        # <orgslug:slug> in the URLs: an organization's slug in any script (workshops/slugs.py).
        register_converter(SlugConverter, "orgslug")
