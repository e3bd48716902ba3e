# puma configuration of the benchmark Redmine (bench/redmine/start.sh): 2 workers × 5 threads,
# as a deployment on a 2-core machine would run it (one worker per core, Rails' default 5
# threads, matching the database pool of 5 in the instance's database.yml).
environment 'production'
workers 2
threads 5, 5
preload_app!            # load the app once, fork the workers (copy-on-write)
bind "tcp://127.0.0.1:#{ENV.fetch('REDMINE_PORT', '3300')}"
directory '/usr/share/redmine'
rackup '/usr/share/redmine/config.ru'
pidfile "#{ENV.fetch('REDMINE_BENCH_ROOT', '/var/tmp/redmine-bench')}/puma.pid"
before_fork { ActiveRecord::Base.connection_pool.disconnect! if defined?(ActiveRecord::Base) }
on_worker_boot { ActiveRecord::Base.establish_connection if defined?(ActiveRecord::Base) }
