"""The staffing matrix as plain data: roles × projects, who holds each cell, which are risks.

Built from two queries whatever the size (project roles with their staffing annotation, and the
current assignments of the municipality), so the page and the Excel export share it.
"""

from dataclasses import dataclass, field

from .models import Person, ProjectRole, Role, RoleAssignment


@dataclass
class Holder:
    person: Person
    across_projects: bool


@dataclass
class Cell:
    project_role: ProjectRole
    holders: list[Holder] = field(default_factory=list)
    # National summary only: municipalities without anyone in the cell.
    unstaffed_municipalities: int | None = None

    @property
    def is_risk(self):
        """A required role nobody holds (for a municipality), as the dashboard counts it."""
        return self.project_role.required and not self.project_role.is_staffed


@dataclass
class Row:
    role: Role
    cells: list  # one Cell or None per column; None: the project's gallery lacks the role


@dataclass
class Matrix:
    projects: list
    rows: list
    municipality: object = None
    municipality_count: int | None = None

    @property
    def risk_count(self):
        """Required cells nobody holds (municipal matrix) or left unstaffed somewhere."""
        return sum(1 for row in self.rows for cell in row.cells if cell and cell.is_risk)

    def cells(self):
        """Every filled cell, row by row: the export's rows."""
        return [cell for row in self.rows for cell in row.cells if cell]


def _grid(project_roles):
    """Rows and columns from project roles ordered by role then project (`for_matrix()`)."""
    projects = sorted({pr.project for pr in project_roles}, key=lambda p: p.short_name)
    column = {project.pk: i for i, project in enumerate(projects)}
    rows, by_key = {}, {}
    for pr in project_roles:
        row = rows.setdefault(pr.role_id, Row(role=pr.role, cells=[None] * len(projects)))
        row.cells[column[pr.project_id]] = by_key[pr.role_id, pr.project_id] = Cell(pr)
    return projects, list(rows.values()), by_key


def municipal_matrix(project_roles, municipality):
    """The matrix for one municipality. `project_roles` carry `is_staffed` (with_staffing)."""
    project_roles = list(project_roles)
    projects, rows, by_key = _grid(project_roles)
    cells_of_role = {}
    for (role_id, project_id), cell in by_key.items():
        cells_of_role.setdefault(role_id, []).append((project_id, cell))
    assignments = RoleAssignment.objects.held_in(municipality).filter(role_id__in=cells_of_role)
    for assignment in assignments:
        across = assignment.project_id is None
        for project_id, cell in cells_of_role[assignment.role_id]:
            if not across and project_id != assignment.project_id:
                continue
            if all(h.person.pk != assignment.person_id for h in cell.holders):
                cell.holders.append(Holder(assignment.person, across))
    return Matrix(projects=projects, rows=rows, municipality=municipality)


def national_matrix(project_roles, municipality_count):
    """The national summary. `project_roles` carry `staffed_municipalities`."""
    projects, rows, by_key = _grid(list(project_roles))
    for cell in by_key.values():
        if cell.project_role.required:
            staffed = cell.project_role.staffed_municipalities
            cell.unstaffed_municipalities = municipality_count - staffed
    return Matrix(projects=projects, rows=rows, municipality_count=municipality_count)


def base_queryset(municipality, municipality_count=None):
    """Project roles in matrix order with the staffing annotation the filters and cells use."""
    queryset = ProjectRole.objects.for_matrix()
    if municipality is not None:
        return queryset.with_staffing(municipality)
    return queryset.with_national_staffing(municipality_count)
