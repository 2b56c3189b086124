-- One database per service that owns data.
CREATE DATABASE registry;
CREATE DATABASE billing;
