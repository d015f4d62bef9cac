"""golive's embedded AWS account: moto, completed where golive's checks need it.

Each module adds what moto lacks for one service, the way moto writes a service
(backend state plus response methods); `install()` applies them all, once.
"""

from functools import cache


@cache
def install() -> None:
    from golive.embedded import auth, cloudwatch, feedback, iam, ses, sesv2, sns

    auth.install()
    cloudwatch.install()
    feedback.install()
    iam.install()
    ses.install()
    sesv2.install()
    sns.install()
