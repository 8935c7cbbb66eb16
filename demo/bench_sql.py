"""The floor of each benchmark case: the same result by hand-written SQL on connection.cursor().

Every statement takes the parameters `m` (a municipality id, or NULL for the nation), `today`
and `soon` (today + KLIK_WARNING_DAYS). The colour is the same CASE as `with_colour`.
"""

COLOUR = """
    CASE WHEN mt.state = 'done' THEN 'green'
         WHEN COALESCE(t.starts_on, t.published_on) > %(today)s THEN 'grey'
         WHEN mt.state = 'blocked' OR t.deadline < %(today)s THEN 'red'
         WHEN mt.responsible_id IS NULL OR mt.executor_id IS NULL OR mt.needs_help
              OR (mt.state = 'not_started' AND t.deadline <= %(soon)s) THEN 'yellow'
         ELSE 'green' END
"""
SCOPE = "(%(m)s::bigint IS NULL OR mt.municipality_id = %(m)s)"
# The hand-simplified red predicate (what CASE … = 'red' means).
RED = """
    mt.state <> 'done' AND COALESCE(t.starts_on, t.published_on) <= %(today)s
    AND (mt.state = 'blocked' OR t.deadline < %(today)s)
"""

COLOUR_COUNTS = f"""
    SELECT {COLOUR} AS colour, COUNT(*)
    FROM klik_municipalitytask mt JOIN klik_task t ON t.id = mt.task_id
    WHERE {SCOPE} GROUP BY 1
"""

PAGE = f"""
    SELECT mt.id, m.name, p.short_name, t.title, s.name,
           (SELECT string_agg(i.code, ' ' ORDER BY i.code)
              FROM klik_task_interfaces ti JOIN portfolio_interface i ON i.id = ti.interface_id
             WHERE ti.task_id = t.id),
           COALESCE(t.starts_on, t.published_on), t.deadline, {COLOUR}, mt.state,
           r.name, e.name
    FROM klik_municipalitytask mt
    JOIN klik_task t ON t.id = mt.task_id
    JOIN portfolio_municipality m ON m.id = mt.municipality_id
    LEFT JOIN portfolio_project p ON p.id = t.project_id
    LEFT JOIN portfolio_supportsystem s ON s.id = t.support_system_id
    LEFT JOIN rollegalleri_person r ON r.id = mt.responsible_id
    LEFT JOIN rollegalleri_person e ON e.id = mt.executor_id
    WHERE {SCOPE} {{where}}
    ORDER BY t.deadline, mt.id {{limit}}
"""
RED_PAGE = PAGE.format(where=f"AND {RED}", limit="LIMIT 50")
ALL_PAGE = PAGE.format(where="", limit="LIMIT 50")
RED_EXPORT = PAGE.format(where=f"AND {RED}", limit="")
ALL_EXPORT = PAGE.format(where="", limit="")

MONTHS = f"""
    SELECT date_trunc('month', {{day}})::date AS month, {COLOUR} AS colour, COUNT(*)
    FROM klik_municipalitytask mt JOIN klik_task t ON t.id = mt.task_id
    WHERE {SCOPE} AND {{day}} >= %(first)s AND {{day}} < %(end)s
    GROUP BY 1, 2
"""
MONTHS_STARTING = MONTHS.format(day="COALESCE(t.starts_on, t.published_on)")
MONTHS_DUE = MONTHS.format(day="t.deadline")

ESCALATE = f"""
    SELECT mt.id, mt.updated_at, t.title
    FROM klik_municipalitytask mt JOIN klik_task t ON t.id = mt.task_id
    WHERE {SCOPE} AND mt.updated_at <= %(stalled)s AND {COLOUR} IN ('red', 'yellow')
    ORDER BY mt.updated_at, mt.id
"""
ESCALATE_COUNT = f"SELECT COUNT(*) FROM ({ESCALATE}) e"
ESCALATE_PAGE = f"{ESCALATE} LIMIT 10"

MATRIX = f"""
    SELECT m.code, m.name, p.slug, p.short_name,
           COUNT(*) FILTER (WHERE {COLOUR} = 'red'),
           COUNT(*) FILTER (WHERE {COLOUR} = 'yellow')
    FROM klik_municipalitytask mt JOIN klik_task t ON t.id = mt.task_id
    JOIN portfolio_municipality m ON m.id = mt.municipality_id
    LEFT JOIN portfolio_project p ON p.id = t.project_id
    WHERE {SCOPE} AND {COLOUR} IN ('red', 'yellow')
    GROUP BY 1, 2, 3, 4
"""

OVERVIEW = f"""
    SELECT t.project_id, s.slug, s.name, {COLOUR} AS colour, COUNT(*)
    FROM klik_municipalitytask mt JOIN klik_task t ON t.id = mt.task_id
    JOIN portfolio_supportsystem s ON s.id = t.support_system_id
    WHERE {SCOPE} GROUP BY 1, 2, 3, 4
"""

SUPPORT_SYSTEM = f"""
    SELECT t.id, t.title, t.deadline, p.slug, p.short_name, {COLOUR} AS colour, COUNT(*),
           MAX(mt.id)
    FROM klik_municipalitytask mt JOIN klik_task t ON t.id = mt.task_id
    LEFT JOIN portfolio_project p ON p.id = t.project_id
    WHERE {SCOPE} AND t.support_system_id = %(system)s
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY t.deadline, t.title, t.id
"""

TALLIES = f"""
    SELECT mt.municipality_id, t.project_id,
           COUNT(*) FILTER (WHERE {COLOUR} = 'red'),
           COUNT(*) FILTER (WHERE {COLOUR} = 'yellow'),
           COUNT(*) FILTER (WHERE {COLOUR} = 'green'),
           COUNT(*) FILTER (WHERE {COLOUR} = 'grey'),
           COUNT(*) FILTER (WHERE {COLOUR} IN ('red', 'yellow') AND mt.updated_at <= %(stalled)s)
    FROM klik_municipalitytask mt JOIN klik_task t ON t.id = mt.task_id
    WHERE {SCOPE} GROUP BY 1, 2
"""
MONTHS_BOTH = f"""
    SELECT date_trunc('month', COALESCE(t.starts_on, t.published_on))::date,
           date_trunc('month', t.deadline)::date, {COLOUR} AS colour, COUNT(*)
    FROM klik_municipalitytask mt JOIN klik_task t ON t.id = mt.task_id
    WHERE {SCOPE} AND (COALESCE(t.starts_on, t.published_on) >= %(first)s
                       AND COALESCE(t.starts_on, t.published_on) < %(end)s
                       OR t.deadline >= %(first)s AND t.deadline < %(end)s)
    GROUP BY 1, 2, 3
"""

LIST_RED = (COLOUR_COUNTS, RED_PAGE)
LIST_ALL = (COLOUR_COUNTS, ALL_PAGE)
# The dashboard's numbers in the fewest statements: counts, escalation count and the matrix from
# one pass, the chart's two bars from another, and the ten oldest to escalate.
DASHBOARD = (TALLIES, MONTHS_BOTH, ESCALATE_PAGE)
DASHBOARD_NATION = DASHBOARD
