CREATE TYPE user_status AS ENUM ('active', 'blocked');
