require_relative "boot"
module Shop
  class Application < Rails::Application
  end
end
