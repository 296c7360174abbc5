"""Staff accounts: sign up, sign in (and where it lands), password reset by e-mail."""

from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from config import ratelimit
from config.links import PasswordResetView
from workshops.errors import DomainError
from workshops.forms import QueuedPasswordResetForm, SignInForm
from workshops.models import StaffInvitation
from workshops.selectors.organizations import memberships_of_user, next_sessions_facilitated_by, organizations_of
from workshops.services.organizations import user_sign_up
from workshops.views.public import STAFF_INVITATION_KEY


def landing_url(user):
    """Where a staff member starts: their organization's overview; with several, the home page, which lists
    them; with none, creating one."""
    slugs = list(organizations_of(user).values_list("slug", flat=True)[:2])
    if not slugs:
        return reverse("org_create")
    if len(slugs) == 1:
        return reverse("org_dashboard", args=[slugs[0]])
    return reverse("home")


# Set in the session when its sign-in was the account's first ever (sign-up included): the home page then says
# welcome for the first time and what to do first, instead of "welcome back".
FIRST_SESSION_KEY = "attune.first_session"


def remember_first_session(request, *, signed_in_before):
    """Record, right after login(), whether this session is the account's first. The signal is `last_login` as
    it was *before* this sign-in: None means the account had never signed in. It has to be read before login(),
    which sets it to now. Read afterwards, last_login can't tell a first visit from a later one, and neither can
    date_joined (an account made for someone, such as the demo's, is new on its first sign-in however old it is).
    The answer lasts for the session: everything done in the first one is part of the first visit."""
    request.session[FIRST_SESSION_KEY] = not signed_in_before


def is_first_session(request):
    return bool(request.session.get(FIRST_SESSION_KEY))


class SignInView(LoginView):
    """Django's sign-in with the e-mail form; a safe ``next`` wins, else the user's own landing page."""

    form_class = SignInForm

    def get_default_redirect_url(self):
        return landing_url(self.request.user)

    def form_valid(self, form):
        signed_in_before = form.get_user().last_login is not None
        response = super().form_valid(form)
        remember_first_session(self.request, signed_in_before=signed_in_before)
        return response


def _opened_invitation(request):
    """The staff invitation this browser opened, while it can still be accepted; else None."""
    pk = request.session.get(STAFF_INVITATION_KEY)
    invitation = StaffInvitation.objects.select_related("organization").filter(pk=pk).first() if pk else None
    if invitation is None or invitation.state(timezone.now()) != "pending":
        return None
    return invitation


def _invited_email(request):
    """The address of the staff invitation this browser opened, while it can still be accepted."""
    invitation = _opened_invitation(request)
    return invitation.email if invitation else ""


def home(request):
    """What Attune is and how to get in; signed in, where to go next: your organizations and your sessions. The
    first visit of a new account says welcome and what to do first: join the organization whose invitation this
    browser opened, open the organization they are on, or create one."""
    context = {}
    if request.user.is_authenticated:
        memberships = list(memberships_of_user(request.user))
        invitation = _opened_invitation(request)
        if invitation and any(m.organization_id == invitation.organization_id for m in memberships):
            invitation = None  # on that staff already
        context = {
            "first_visit": is_first_session(request),
            "invitation": invitation,
            "memberships": memberships,
            "sessions": next_sessions_facilitated_by(request.user),
        }
    return render(request, "workshops/home.html", context)


@require_http_methods(["GET", "POST"])
def signup(request):
    """A new staff account (the e-mail is the login). Afterwards: create an organization, or accept the staff
    invitation this browser opened (its address is filled in)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    invited_email = _invited_email(request)
    if invited_email and not next_url:
        next_url = reverse("staff_invitation")
    errors, values = {}, {"email": invited_email, "first_name": ""}
    if request.method == "POST":
        values = {"email": request.POST.get("email", ""), "first_name": request.POST.get("first_name", "")}
        try:
            ratelimit.hit_client(ratelimit.SIGN_UP_PER_CLIENT, request)
        except ratelimit.RateLimited as limited:
            context = {"errors": errors, "values": values, "next": next_url}
            return ratelimit.page_answer(request, "registration/signup.html", context, limited)
        try:
            user = user_sign_up(password=request.POST.get("password", ""), **values)
        except DomainError as error:
            errors[error.field or "form"] = error.message
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            remember_first_session(request, signed_in_before=False)
            return redirect(next_url or landing_url(user))
    return render(
        request,
        "registration/signup.html",
        {"errors": errors, "values": values, "next": next_url},
        status=400 if errors else 200,
    )


class LimitedPasswordResetView(PasswordResetView):
    """Django's password reset, limited per client and per e-mail (whether or not it has an account, so the
    answer tells nothing about which addresses do): nobody's inbox can be filled with reset mails. Its e-mail is
    queued like every other."""

    form_class = QueuedPasswordResetForm

    def post(self, request, *args, **kwargs):
        try:
            ratelimit.hit_client(ratelimit.PASSWORD_RESET_PER_CLIENT, request)
        except ratelimit.RateLimited as limited:
            return self.too_many(self.get_form(), limited)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            ratelimit.hit(ratelimit.PASSWORD_RESET_PER_EMAIL, form.cleaned_data["email"].strip().lower())
        except ratelimit.RateLimited as limited:
            return self.too_many(form, limited)
        return super().form_valid(form)

    def too_many(self, form, limited):
        return ratelimit.page_answer(self.request, self.template_name, self.get_context_data(form=form), limited)
