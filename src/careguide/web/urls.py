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

handler400 = "careguide.web.errors.bad_request"
handler404 = "careguide.web.errors.page_not_found"
handler500 = "careguide.web.errors.server_error"
