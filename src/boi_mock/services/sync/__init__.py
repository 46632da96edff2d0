"""Staff synchronization (SYNC-1..10): the use cases the BOI API, the CLI and the Campus UI share.

    runs.start / runs.end / runs.status     SYNC-1, SYNC-3, the current run
    transfer.transfer                       SYNC-2 (staging)
    report.validate / report.last_report    SYNC-4 (pure comparison in boi_mock/domain/sync_report.py)
    commit.commit_now / submit_commit_job   SYNC-5..7 (engine: commit.run_commit, worker: boi_mock/jobs)
    report.check_campus_data                SYNC-9 / MOCK-10
"""
