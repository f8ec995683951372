package storagetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// containerSpec says how to run one database server in a container.
type containerSpec struct {
	name  string
	image string
	port  string
	env   map[string]string
	// url is the server URL at host:port.
	url func(hostport string) string
}

var (
	mariaDB = containerSpec{
		name:  "mariadb",
		image: "mariadb:11",
		port:  "3306/tcp",
		env:   map[string]string{"MARIADB_ALLOW_EMPTY_ROOT_PASSWORD": "1", "MARIADB_DATABASE": "test"},
		url:   func(hp string) string { return "mysql://root:@" + hp + "/test" },
	}
	postgres = containerSpec{
		name:  "postgres",
		image: "postgres:16-alpine",
		port:  "5432/tcp",
		env:   map[string]string{"POSTGRES_HOST_AUTH_METHOD": "trust", "POSTGRES_DB": "test"},
		url:   func(hp string) string { return "postgres://postgres@" + hp + "/test?sslmode=disable" },
	}
)

// started holds the one container per server a test binary starts: tests
// share it, each with a database of its own, and the testcontainers reaper
// removes it when the process ends. It is the package's only mutable state,
// and what it caches is the point of a test helper.
var started sync.Map // name → *startOnce

type startOnce struct {
	once sync.Once
	url  string
	err  error
}

// container returns the URL of a running server of spec, starting it the
// first time; the error says why there is none.
func container(t testing.TB, spec containerSpec) (string, error) {
	v, _ := started.LoadOrStore(spec.name, &startOnce{})
	s := v.(*startOnce)
	s.once.Do(func() {
		if err := dockerAnswers(); err != nil {
			s.err = err
			return
		}
		s.url, s.err = startContainer(spec)
	})
	return s.url, s.err
}

// dockerAnswers looks for a Docker engine quickly: an engine is configured
// (DOCKER_HOST, a socket in a usual place, a testcontainers properties
// file), and it answers a ping within five seconds.
func dockerAnswers() error {
	configured := os.Getenv("DOCKER_HOST") != ""
	home, _ := os.UserHomeDir()
	for _, p := range []string{"/var/run/docker.sock", filepath.Join(home, ".docker/run/docker.sock"), filepath.Join(home, ".testcontainers.properties")} {
		if _, err := os.Stat(p); err == nil {
			configured = true
		}
	}
	if !configured {
		return errors.New("no Docker engine is configured (DOCKER_HOST unset, no /var/run/docker.sock)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return fmt.Errorf("no Docker engine answers: %w", err)
	}
	defer cli.Close()
	if _, err := cli.Ping(ctx, client.PingOptions{}); err != nil {
		return fmt.Errorf("the Docker engine does not answer: %w", err)
	}
	return nil
}

// startContainer runs the server and waits until it takes queries.
func startContainer(spec containerSpec) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ctr, err := testcontainers.Run(ctx, spec.image,
		testcontainers.WithEnv(spec.env),
		testcontainers.WithExposedPorts(spec.port),
		testcontainers.WithWaitStrategy(wait.ForListeningPort(spec.port).WithStartupTimeout(2*time.Minute)),
	)
	if err != nil {
		return "", fmt.Errorf("starting a %s container failed: %w", spec.image, err)
	}
	hp, err := ctr.PortEndpoint(ctx, spec.port, "")
	if err != nil {
		return "", fmt.Errorf("%s container port: %w", spec.image, err)
	}
	u := spec.url(hp)
	// A listening port is not yet a server that accepts logins (both
	// images restart once after initialising).
	for {
		err = ping(ctx, spec.name, u)
		if err == nil {
			return u, nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("%s container never took queries: %w", spec.image, err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// ping opens and pings a server URL of the container.
func ping(ctx context.Context, kind, u string) error {
	var db *sql.DB
	switch kind {
	case "mariadb":
		cfg := mysql.NewConfig()
		cfg.Net, cfg.User = "tcp", "root"
		cfg.Addr = u[len("mysql://root:@") : len(u)-len("/test")]
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			return err
		}
		db = sql.OpenDB(conn)
	default:
		cfg, err := pgx.ParseConfig(u)
		if err != nil {
			return err
		}
		db = stdlib.OpenDB(*cfg)
	}
	defer db.Close()
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return db.PingContext(pctx)
}
