from django.apps import AppConfig, apps


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Workshops"

    def ready(self):
        hide_mail_queue_from_admin()


def hide_mail_queue_from_admin():
    """django-post-office and django-dbfiles register admin pages of their own; queued e-mails hold capability links
    and names, so no admin page shows them (the admin site discovered them before this app's ready())."""
    if not apps.is_installed("django.contrib.admin"):
        return
    from dbfiles.models import DBFile
    from django.contrib import admin
    from post_office.models import Attachment, Email, EmailTemplate, Log

    for model in (Email, Log, Attachment, EmailTemplate, DBFile):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
