from django.urls import path

from diaodu.supervision import reporting, views

app_name = "supervision"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("list/", views.task_list, name="list"),
    path("countdown/", views.countdown, name="countdown"),
    path("map/", views.battle_map, name="map"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("accountability/", views.accountability_list, name="accountability"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("extract/", views.extract, name="extract"),
    path("late-reporting/", reporting.late_to_tasks, name="late_reporting"),
    path("extract/confirm/", views.extract_confirm, name="extract_confirm"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/do/<slug:name>/", views.task_transition, name="transition"),
    path("<int:pk>/feedback/", views.task_feedback, name="feedback"),
    path("<int:pk>/accountability/", views.task_accountability, name="task_accountability"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
]
