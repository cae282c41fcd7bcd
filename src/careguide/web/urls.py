from django.contrib import admin
from django.urls import include, path

from careguide.web.api.api import api

admin.site.site_header = "CareGuide editors"
admin.site.site_title = "CareGuide editors"

urlpatterns = [
    path("", include("careguide.web.guides.urls")),
    path("check/", include("careguide.web.checker.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
