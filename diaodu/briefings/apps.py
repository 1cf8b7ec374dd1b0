from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    """The writers of the meeting's documents: GB/T 9704 .docx, .xlsx tables, the speech's data section."""

    name = "diaodu.briefings"
    verbose_name = "通报与讲话"
