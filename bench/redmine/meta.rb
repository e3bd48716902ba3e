# Run by bench/redmine/load.sh with `rails runner` (REDMINE_INSTANCE=bench): the small things,
# made through Redmine's models so that their invariants hold (project nested set, enabled
# modules and trackers, members and roles, API keys). Idempotent.
#
#   rails runner meta.rb agencies.tsv
#
# One private project for the province; one user per agency ("cq<agency id>"), member with the
# role "Cán bộ cơ quan" that sees only its own issues (assigned to it, or written by it), like an
# agency officer in nhiemvu (a user's last name holds 30 characters: the agency's name is cut).
# The author of every issue is "vp.ubnd" (Văn phòng UBND tỉnh), whose password is set to
# $REDMINE_BENCH_PASSWORD (default redmine-bench) for looking at the HTML pages.
agencies = File.readlines(ARGV.fetch(0), chomp: true).map { |l| l.split("\t", 2) }

ActiveRecord::Base.transaction do
  # nhiemvu's statuses; ids match bench/redmine/load.py (default data made ids 1..6).
  [['Chưa thực hiện', false], ['Đang thực hiện', false], ['Chờ xác nhận', false], ['Tạm hoãn', false],
   ['Hoàn thành', true], ['Hủy', true], ['Từ chối', false]].each_with_index do |(name, closed), i|
    s = IssueStatus.find_by(id: i + 1) || IssueStatus.new.tap { |n| n.id = i + 1 }
    s.update!(name: name, is_closed: closed, position: i + 1)
  end
  tracker = Tracker.find(1)
  tracker.update!(name: 'Nhiệm vụ', default_status_id: 1)

  project = Project.find_by(identifier: 'quang-ngai') ||
            Project.create!(name: 'UBND tỉnh Quảng Ngãi', identifier: 'quang-ngai', is_public: false,
                            enabled_module_names: ['issue_tracking'], trackers: [tracker])
  officer = Role.find_by(name: 'Cán bộ cơ quan') ||
            Role.create!(name: 'Cán bộ cơ quan', issues_visibility: 'own', assignable: true,
                         permissions: [:view_issues, :add_issue_notes])
  manager = Role.find(3) # "Điều hành" (Manager) of the default data: sees all issues

  make_user = lambda do |login, first, last, role|
    u = User.find_by_login(login) || User.new(firstname: first, lastname: last[0, 30],
                                              mail: "#{login}@bench.example", language: 'vi').tap do |n|
      n.login = login
      n.password = SecureRandom.hex(16)
      n.save!
    end
    Member.create!(principal: u, project: project, roles: [role]) unless u.member_of?(project)
    u.api_key # creates the token once
  end
  make_user.call('vp.ubnd', 'Văn phòng', 'UBND tỉnh', manager)
  User.find_by_login('vp.ubnd').update!(password: ENV.fetch('REDMINE_BENCH_PASSWORD', 'redmine-bench'))
  agencies.each { |id, name| make_user.call("cq#{id}", 'Cán bộ', name, officer) }
  Setting.rest_api_enabled = '1'
end
puts "project #{Project.find_by(identifier: 'quang-ngai').id}, #{User.where("login LIKE 'cq%'").count} agency users"
