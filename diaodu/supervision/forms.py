"""Forms of the supervision pages; validation only — writes go through ``actions``."""

from __future__ import annotations

from django import forms

from diaodu.supervision.models import Accountability, Meeting


class SpeechForm(forms.Form):
    """Step 1: paste or upload a speech."""

    date = forms.DateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    text = forms.CharField(label="讲话稿（粘贴全文）", required=False,
                           widget=forms.Textarea(attrs={"rows": 14, "placeholder": "粘贴讲话稿全文……"}))
    file = forms.FileField(label="或上传讲话稿（.txt UTF-8 或 .docx）", required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            data["text"] = read_speech_file(upload)
        if not (data.get("text") or "").strip():
            raise forms.ValidationError("请粘贴讲话稿全文或上传讲话稿文件。")
        return data


def read_speech_file(upload) -> str:
    name = (upload.name or "").lower()
    if name.endswith(".docx"):
        import io

        from docx import Document

        _check_docx(upload)
        try:
            doc = Document(io.BytesIO(upload.read()))
        except Exception:
            raise forms.ValidationError("无法读取该 .docx 文件，请另存为 UTF-8 文本后上传。")
        return "\n".join(p.text for p in doc.paragraphs)
    raw = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise forms.ValidationError("讲话稿文件须为 UTF-8 或 GB18030 编码的文本，或 .docx 文件。")


def _check_docx(upload) -> None:
    """The upload limits (member count, unzipped size, time, memory) before python-docx unpacks it."""
    import tempfile

    from diaodu.core.uploads import UploadRefused, check_upload

    try:
        if hasattr(upload, "temporary_file_path"):
            check_upload("docx", upload.temporary_file_path())
        else:
            with tempfile.NamedTemporaryFile(suffix=".docx") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                check_upload("docx", handle.name)
    except UploadRefused as exc:
        raise forms.ValidationError(f"讲话稿文件未读取：{exc}")
    upload.seek(0)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "date", "chair", "attendees", "briefing_ref", "briefing_file", "decisions"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }


class FeedbackForm(forms.Form):
    """Attachments come as ``<input type=file name=files multiple>``, read from ``request.FILES``."""

    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    quantity_done = forms.FloatField(label="累计完成数量", required=False, min_value=0)
    final = forms.BooleanField(label="已办结，提交复核", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TransitionForm(forms.Form):
    reason = forms.CharField(label="说明", required=False, max_length=250)
    version = forms.IntegerField(widget=forms.HiddenInput)
    unit = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)  # a lead unit's code


class AccountabilityForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Accountability.Kind.choices)
    unit = forms.CharField(label="对象单位", max_length=40)
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 2}))
    decided_by = forms.CharField(label="决定机关", required=False, max_length=60)
