"""The feedback report over the REST API: released answers only, the same units and filters as the page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from feedback import report as reports
from workshops.api.base import OrgView
from workshops.api.common import READ, errors
from workshops.errors import DomainError

REPORT_KINDS = ["scale", "single", "multiple", "words", "text"]


class ReportGroupSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=REPORT_KINDS)
    question = serializers.CharField()
    sessions = serializers.IntegerField(help_text="How many sessions' released results this group adds up.")
    result = serializers.JSONField(help_text="answers; counts (and mean) or words or items, per kind")


FILTERS = [
    OpenApiParameter(name, OpenApiTypes.INT, description=f"only this {name}'s released results", required=False)
    for name in ("program", "workshop", "session")
]


class FeedbackReportView(OrgView):
    @extend_schema(
        tags=["feedback"],
        parameters=FILTERS,
        responses={200: ReportGroupSerializer(many=True), **errors(400, *READ)},
    )
    def get(self, request, slug):
        """The anonymous report: each group adds up whole released results (one prompt in one session, each of at
        least k answers from three couples); nothing below the threshold, not even a count."""
        organization = self.organization("feedback.report")
        _, picked, problems = reports.pick_filters(organization, request.query_params)
        for name, (code, message) in problems.items():
            raise DomainError(message, field=name, code=code)
        return Response(ReportGroupSerializer(reports.report(organization, **picked), many=True).data)
