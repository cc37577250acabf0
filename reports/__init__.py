"""The annual report (`chanjiao report`, `GET /report`): `reports.figures` gathers its figures
from the store through the query functions the GraphQL API answers with, into plain data;
`reports.html`, `reports.pdf` and `reports.xlsx` render those figures, and nothing else."""
