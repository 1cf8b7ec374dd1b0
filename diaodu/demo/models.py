from django.db import models


class DemoDataset(models.Model):
    """Marks a database holding the demo data (演示数据): pages show the label."""

    version = models.CharField(max_length=20)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "演示数据集"
        verbose_name_plural = "演示数据集"

    def __str__(self) -> str:
        return f"演示数据 {self.version}"
