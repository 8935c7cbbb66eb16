"""The rules an attachment passes before it is stored: size, extension, content, virus scan."""

import unicodedata
import zipfile
from pathlib import PurePosixPath

import magic
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.module_loading import import_string
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

# Extension → the content types libmagic may report for it.
ALLOWED_TYPES = {
    "pdf": {"application/pdf"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "txt": {"text/plain"},
    "csv": {"text/csv", "text/plain", "application/csv"},
}
# Office files are zip archives; libmagic names them only when their parts come in Office's
# own order, so a plain zip is looked into for the part folder that makes it that kind.
OFFICE_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
SNIFF_BYTES = 8192
NAME_MAX = 150

TOO_LARGE = _("The file is larger than %(limit)s MB.")
EMPTY = _("The file is empty.")
NOT_ALLOWED = _("Files of this kind cannot be attached. Allowed: %(allowed)s.")
CONTENT_MISMATCH = _("The file's content does not match its extension .%(extension)s.")
BAD_NAME = _("The file name cannot be used. Rename the file and try again.")
SCAN_REFUSED = _("The virus scan refused the file.")
SCAN_FAILED = _("The file could not be checked for viruses. Try again later.")


def allowed_extensions():
    """The allowed extensions as the user reads them: "pdf, docx, …"."""
    return ", ".join(ext for ext in ALLOWED_TYPES if ext != "jpeg")


def safe_name(name: str) -> str:
    """The file name without folders or characters a file system or header could misread."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/")
    name = PurePosixPath(name).name.strip()
    try:
        name = get_valid_filename(name)
    except SuspiciousFileOperation as error:
        raise ValidationError(BAD_NAME, code="bad_name") from error
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem.strip("._"):
        raise ValidationError(BAD_NAME, code="bad_name")
    return f"{stem[: NAME_MAX - len(extension) - 1]}.{extension}"


def _office_kind(upload, extension):
    """Whether the zip `upload` has the part folder of an Office file of `extension`."""
    folder = OFFICE_FOLDERS.get(extension)
    if folder is None:
        return False
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def sniffed_type(upload) -> str:
    """The content type libmagic reads from the first bytes of `upload`."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return magic.from_buffer(head, mime=True)


def _scan(upload):
    """Run the configured virus scanner; refuse when it says no or cannot answer."""
    path = settings.KLIK_ATTACHMENT_SCANNER
    if not path:
        return
    scanner = import_string(path)
    try:
        upload.seek(0)
        scanner(upload)
    except ValidationError as error:
        raise ValidationError(SCAN_REFUSED, code="infected") from error
    except Exception as error:  # a scanner that is down must not let files through
        raise ValidationError(SCAN_FAILED, code="scan_failed") from error
    finally:
        upload.seek(0)


def upload_check(upload) -> tuple[str, str]:
    """Check `upload` against every rule; returns (safe name, content type).

    Raises ValidationError with a Danish message naming the first rule it breaks.
    """
    limit = settings.KLIK_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            TOO_LARGE, code="too_large", params={"limit": round(limit / 1024 / 1024)}
        )
    if upload.size == 0:
        raise ValidationError(EMPTY, code="empty")
    name = safe_name(upload.name)
    extension = name.rpartition(".")[2].lower()
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            NOT_ALLOWED, code="not_allowed", params={"allowed": allowed_extensions()}
        )
    content_type = sniffed_type(upload)
    if content_type not in ALLOWED_TYPES[extension]:
        if content_type == "application/zip" and _office_kind(upload, extension):
            content_type = next(iter(ALLOWED_TYPES[extension]))
        else:
            raise ValidationError(
                CONTENT_MISMATCH, code="mismatch", params={"extension": extension}
            )
    _scan(upload)
    return name, content_type
