"""Ship the whole country's regions (GB/T 2260: provinces, 地级 and 县级 units).

The file name is historical: this migration once loaded one province and one city's departments.
Departments and peer groups are now made for the home city by ``diaodu setup-city``."""

from django.db import migrations


def forward(apps, schema_editor):
    from diaodu.org import loaders  # reads the shipped file only; takes the historical model

    loaders.load_country_regions(apps.get_model("org", "Region"))


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
