# Connection settings the xunit tests pass in the environment, shared by the Ruby probes in this folder.
require 'json'

module Gateway
  HOST = ENV.fetch('DM_HOST', '127.0.0.1')
  PORT = Integer(ENV.fetch('DM_PORT'))
  USER = ENV.fetch('DM_USER', 'bob')
  PASSWORD = ENV.fetch('DM_PASSWORD', USER)
  DATABASE = ENV.fetch('DM_DATABASE', 'ml_research')

  def self.settings
    { host: HOST, port: PORT, user: USER, password: PASSWORD, dbname: DATABASE, sslmode: 'disable' }
  end

  # One JSON object on stdout: the facts the C# test asserts on.
  def self.emit(facts)
    $stdout.puts(JSON.generate(facts))
  end
end
