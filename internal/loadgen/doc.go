// Package loadgen drives a RefStack server with signed uploads from
// concurrent clients and checks afterwards that the uploads it acknowledged
// are stored whole. The load generator (bench/loadgen) and the server's
// crash test share it. It speaks raw HTTP, without submit.Client's retries:
// a load test counts each failed request, it does not hide it.
package loadgen
