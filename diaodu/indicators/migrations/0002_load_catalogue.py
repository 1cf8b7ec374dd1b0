"""Ship the indicator catalogue."""

from django.db import migrations


def forward(apps, schema_editor):
    from diaodu.org import loaders  # reads JSON only; takes the historical model

    loaders.load_catalogue(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
