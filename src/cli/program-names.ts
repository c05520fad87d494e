// The names the command-line programs print in their messages (where
// PostgreSQL's programs print "postgres" and "pg_ctl").
export const SERVER_PROGRAM = 'pipelinedb';
export const CTL_PROGRAM = 'pipeline-ctl';
